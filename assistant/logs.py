"""Logs that never carry a note, a message, a search or a token.

Every log record made in the process goes through ``private_record`` (a log record factory,
so it holds for every logger and handler, uvicorn's and pytest's included):

- uvicorn's access log names the path without its query string (a query can hold search text
  or a conversation's words);
- an exception's traceback is kept (files, lines, functions) but not its message, which may
  quote input (a note, a message, a file's text); the exception's type is named instead.

Libraries that log request bodies at DEBUG (the OpenAI client, httpx) log warnings only.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

WITHHELD = "its message is not logged: it may quote what was sent"
_QUIET = ("openai", "httpx", "httpcore")
_original = logging.getLogRecordFactory()


def _withheld(exc_info: Any) -> str:
    """A traceback without the exception's message (nor those of the exceptions before it)."""
    kind, _value, trace = exc_info
    frames = "".join(traceback.format_tb(trace))
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__} ({WITHHELD})"


def private_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Make a log record as usual, then take out query strings and exception messages."""
    record = _original(*args, **kwargs)
    if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) >= 3:
        values = list(record.args)
        values[2] = str(values[2]).split("?", 1)[0]  # (client, method, path?query, version, status)
        record.args = tuple(values)
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = _withheld(record.exc_info)
        record.exc_info = None
    return record


def keep_logs_private() -> None:
    """Install ``private_record`` for the whole process (once) and quieten the chatty clients."""
    if logging.getLogRecordFactory() is not private_record:
        logging.setLogRecordFactory(private_record)
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
