"""Strings the browser scripts show, translated on the server and handed to the page as JSON."""
from flask_babel import lazy_gettext

CLIENT_STRINGS: dict = {}


def client_strings() -> dict[str, str]:
    return {key: str(value) for key, value in CLIENT_STRINGS.items()}
