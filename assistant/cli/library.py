"""The library objects a command works on, imported when it runs: ``--help`` loads none of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.coordinator import Coordinator
    from assistant.core import Assistant
    from assistant.guide import Guide


def open_assistant() -> Assistant:
    """The assistant over the data folder the settings name."""
    from assistant.core import Assistant

    return Assistant()


def open_guide() -> Guide:
    """The guidance tasks (ask, topics, coach, agenda, brief)."""
    from assistant.guide import Guide

    return Guide(open_assistant())


def open_coordinator() -> Coordinator:
    """The program-level views (health, pairings, rotation, participants)."""
    from assistant.coordinator import Coordinator

    return Coordinator(open_assistant())
