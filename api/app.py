"""FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from assistant import __version__
from assistant.core import Assistant


def create_app(assistant: Assistant | None = None) -> FastAPI:
    """Build the API around one assistant instance."""
    app = FastAPI(title="Reverse mentoring guidance assistant", version=__version__)
    app.state.assistant = assistant or Assistant()

    @app.get("/health")
    def health() -> dict[str, Any]:
        """Liveness and index size; no authentication."""
        index = app.state.assistant.index
        return {
            "status": "ok",
            "version": __version__,
            "index": {"guidelines": index.count("guidelines"), "notes": index.count("notes")},
        }

    return app
