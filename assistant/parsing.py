"""Read one PDF or DOCX file in a process of its own: ``python -m assistant.parsing PATH LIMITS``.

``assistant.documents.read_isolated`` starts this and kills it past the time budget. The
process caps its own address space, reads the file within the limits and prints one JSON
object: ``{"meta", "sections"}``, or ``{"refused", "status"}`` with the sentence to show, or
``{"memory": true}``. Nothing it prints to standard error reaches anyone: a file's text never
ends up in a log through it.
"""

from __future__ import annotations

import contextlib
import json
import resource
import sys
from dataclasses import asdict
from pathlib import Path


def main(argv: list[str]) -> int:
    """Read ``argv[0]`` within the limits given as JSON in ``argv[1]``; print the outcome."""
    from assistant.documents import Limits, read_binary
    from assistant.errors import AssistantError

    path, limits = Path(argv[0]), Limits(**json.loads(argv[1]))
    with contextlib.suppress(ValueError, OSError):  # not when a lower hard limit is in force
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        meta, sections = read_binary(path, limits)
        outcome: dict[str, object] = {
            "meta": {key: str(value) for key, value in meta.items()},
            "sections": [asdict(section) for section in sections],
        }
    except AssistantError as exc:
        outcome = {"refused": str(exc), "status": exc.status}
    except MemoryError:
        outcome = {"memory": True}
    sys.stdout.write(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
