"""The library objects a command works on, imported when it runs: ``--help`` loads none of them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
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
    with embedder_loading():
        from assistant.guide import Guide

        return Guide(open_assistant())


def open_coordinator() -> Coordinator:
    """The program-level views (health, pairings, rotation, participants)."""
    from assistant.coordinator import Coordinator

    return Coordinator(open_assistant())


@contextmanager
def embedder_loading() -> Iterator[None]:
    """Build the configured embedder on another thread while the body imports the library.

    The local model's ONNX session takes about 0.35 s of native work that releases the GIL,
    so it costs a one-shot command nothing when it overlaps the imports.
    """
    from assistant.embeddings import get_embedder
    from assistant.settings import get_settings

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedder") as pool:
        loading = pool.submit(get_embedder, get_settings())
        yield
    loading.result()  # its error, if any, is the one the command would have met next
