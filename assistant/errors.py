"""Errors the library raises for bad input; each carries one user-facing sentence."""


class AssistantError(Exception):
    """Base class: the request was wrong, nothing was changed."""

    status = 400


class InvalidInput(AssistantError):
    """The input is malformed or breaks a rule."""

    status = 422


class TooLarge(InvalidInput):
    """The input is over a size, count or time bound (an upload or a file to ingest)."""

    status = 413


class NotFound(AssistantError):
    """The thing named does not exist, or the caller may not know it exists."""

    status = 404


class Forbidden(AssistantError):
    """The caller's role does not allow this."""

    status = 403


class Unavailable(AssistantError):
    """A store, index or model the settings point at cannot be opened; nothing was changed."""

    status = 503


class OutOfDate(Unavailable):
    """The index was made with another embedder or form of text: ``reindex`` rebuilds it from the store."""
