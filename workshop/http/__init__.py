"""HTTP: server-rendered pages and the JSON API, as blueprints."""
