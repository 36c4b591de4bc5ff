"""Domain errors carry a stable code and an untranslated message.

The message is a msgid (marked with ``N_`` so Babel extracts it); the edge of the application
translates it into the user's language. Keeping translation out of the core keeps it pure.
"""


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


class DomainError(Exception):
    """A request that the rules of the workshop refuse; nothing has changed."""

    status = 409

    def __init__(self, code: str, message: str, **params):
        super().__init__(message % params if params else message)
        self.code = code
        self.message = message
        self.params = params


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Invalid(DomainError):
    """Input the rules refuse where no schema could tell (it depends on what is already saved):
    answered 400 like any other bad input, naming the field it is about; nothing has changed."""

    status = 400

    def __init__(self, code: str, message: str, field: str, **params):
        super().__init__(code, message, **params)
        self.field = field
