"""FastAPI application factory: routers, error handling and request limits."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api import reminder_pages, session_pages, web
from api.limits import BodyLimit
from api.pages import error_page, secured, wants_page
from api.present import STATIC
from api.routes import admin, chat, notes, openai_compat, program, search, sessions, tasks
from api.session import AuthFailures
from api.slots import Slots
from assistant import __version__
from assistant.chat import Chat
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.guide import Guide
from assistant.permissions import keep_files_private

log = logging.getLogger("assistant.api")
MAX_BODY = 12 * 1024 * 1024


def create_app(assistant: Assistant | None = None, guide: Guide | None = None) -> FastAPI:
    """Build the API around one assistant (and its guide and chat)."""
    app = FastAPI(
        title="Reverse mentoring guidance assistant",
        version=__version__,
        description="Grounded guidance for reverse mentoring pairs and coordinators. "
        "Authenticate with `Authorization: Bearer <token>`.",
    )
    app.state.assistant = assistant or Assistant()
    app.state.guide = guide or Guide(app.state.assistant)
    app.state.chat = Chat(app.state.guide)
    app.state.slots = Slots.for_provider(app.state.guide.provider)

    settings = app.state.assistant.settings
    app.state.auth_failures = AuthFailures(settings.auth_failures_per_minute)

    app.add_middleware(BodyLimit, limit=MAX_BODY)
    # A request naming another host is refused (400): a page on another site cannot reach a
    # server on this machine by pointing its own name at 127.0.0.1 (DNS rebinding).
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Say what is wrong and where, without echoing the input back (it may not even be
        # valid Unicode, and it is not ours to repeat).
        problems = [
            {"loc": [str(part) for part in error.get("loc", ())], "msg": str(error.get("msg", "invalid"))}
            for error in exc.errors()
        ]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        summary = f"{'.'.join(first['loc']) or 'request'}: {first['msg']}"
        return JSONResponse({"detail": summary, "errors": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # An address with no route: a browser gets the site's own page, API clients JSON.
        if exc.status_code == 404 and wants_page(request):
            return secured(error_page(request, 404, "There is no page at this address."))
        return await http_exception_handler(request, exc)

    @app.exception_handler(AssistantError)
    async def assistant_error(_request: Request, exc: AssistantError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse(
            {"detail": "Something went wrong on our side; nothing was changed."}, status_code=500
        )

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness, provider mode, index size and the notes waiting to be indexed; no authentication."""
        assistant = app.state.assistant
        return {
            "status": "ok",
            "version": __version__,
            "provider": app.state.guide.provider,
            "index": {
                "guidelines": assistant.index.count("guidelines"),
                "notes": assistant.index.count("notes"),
            },
            "outbox": assistant.outbox.backlog(),
        }

    for router in (
        tasks.router,
        notes.router,
        sessions.router,
        admin.router,
        chat.router,
        openai_compat.router,
        program.router,
        search.router,
    ):
        app.include_router(router)
    app.include_router(web.router)
    app.include_router(session_pages.router)
    app.include_router(reminder_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def serving_app() -> FastAPI:
    """The app as ``serve`` runs it: the index opened before the first request, start-up set aside.

    Opening the index loads Chroma and the embedding model. What exists by then lives as long
    as the process, and ``gc.freeze`` spares it the garbage collector's full passes, which
    walked all of it and held up every request in flight for about 160 ms each time.
    """
    keep_files_private()  # the data folder and everything in it: this user's only
    app = create_app()
    owner = contextlib.ExitStack()
    try:  # a store or index the settings cannot open stops the server here, in one sentence
        with app.state.assistant.session(write=False):
            pass
        app.state.assistant.index  # noqa: B018 - opened now rather than by the first request
        owner.enter_context(app.state.assistant.serving())  # the index is ours; the outbox drains
        every = app.state.assistant.settings.reminders_every_minutes
        if every:  # off by default: cron runs `remind` instead
            from assistant.reminders import start_scheduler

            owner.callback(start_scheduler(app.state.assistant, every).shutdown, wait=False)
    except AssistantError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        sys.exit(2)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        owner.close()

    app.router.lifespan_context = lifespan
    gc.freeze()
    return app
