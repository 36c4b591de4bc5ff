"""Use cases: load, ask the domain core, save, commit, and return what changed.

Every change to a workshop, whoever asks for it (a phone, the console, the JSON API or the CLI),
goes through one function here. The caller publishes the returned changes only after this layer
has committed, so nobody is ever told about something that is not stored.
"""
