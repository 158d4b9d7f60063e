"""Prompt templates: one Jinja2 file per purpose in ``prompts/``, rendered strictly."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from assistant.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (undefined variables are errors, not empty strings)."""
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # read once: checking each template's file on every answer cost a stat call
    )


def render(name: str, **context: Any) -> str:
    """Render ``prompts/<name>.j2``."""
    return environment().get_template(f"{name}.j2").render(**context).strip()
