"""Printing benchmark figures: one JSON object for scripts, aligned lines for people."""

from __future__ import annotations

import json
from typing import Any


def show(result: dict[str, Any], as_json: bool) -> None:
    """Print the figures."""
    if as_json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:28} {value}")
