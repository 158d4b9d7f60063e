"""FastAPI application factory: routers, error handling and request limits."""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from functools import partial
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Scope

from api import evaluation_pages, program_pages, reminder_pages, session_pages, web
from api.limits import BodyLimit
from api.pages import error_page, secured, wants_page
from api.present import STATIC
from api.routes import admin, chat, evaluation, notes, openai_compat, program, search, sessions, tasks
from api.session import AuthFailures
from api.slots import Slots
from assistant import __version__
from assistant.chat import Chat
from assistant.core import Assistant
from assistant.dialogue import word_classes
from assistant.errors import AssistantError
from assistant.guide import Guide
from assistant.logs import keep_logs_private
from assistant.permissions import keep_files_private

log = logging.getLogger("assistant.api")
MAX_BODY = 12 * 1024 * 1024


def create_app(assistant: Assistant | None = None, guide: Guide | None = None) -> FastAPI:
    """Build the API around one assistant (and its guide and chat)."""
    keep_logs_private()  # no query string, exception message or request body in any log line
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
        if exc.status_code == 405:  # Starlette names the methods of the first route that matched
            allowed = allowed_methods(app, request.scope)
            detail = f"{request.method} is not allowed here; use {', '.join(allowed)}."
            return JSONResponse({"detail": detail}, status_code=405, headers={"Allow": ", ".join(allowed)})
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
        evaluation.router,
    ):
        app.include_router(router)
    app.include_router(web.router)
    app.include_router(program_pages.router)
    app.include_router(session_pages.router)
    app.include_router(reminder_pages.router)
    app.include_router(evaluation_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = partial(documented_errors, app)  # type: ignore[method-assign]
    return app


def _concrete_routes(routes: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The app's routes, with included routers opened up (FastAPI keeps them as one route each)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _concrete_routes(inner.routes)
        else:
            yield route


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """Every method the resource at the request's path serves (the ``Allow`` header of a 405).

    Where a fixed path and a path with a parameter both match (``/v1/notes/preview`` and
    ``/v1/notes/{note_id}``), the fixed one is the resource, as in the OpenAPI schema.
    """
    probe = {"type": "http", "path": scope["path"], "root_path": "", "headers": [], "method": "GET"}
    fixed: set[str] = set()
    templated: set[str] = set()
    for route in _concrete_routes(app.router.routes):
        if isinstance(route, Mount):  # the static files: read only
            if route.matches(probe)[0] == Match.FULL:
                fixed |= {"GET", "HEAD"}
            continue
        if route.matches(probe)[0] == Match.NONE:
            continue
        methods = set(getattr(route, "methods", None) or ())
        (templated if getattr(route, "param_convertors", None) else fixed).update(methods)
    methods = fixed or templated
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


# The error body every error status has, whatever raised it: one sentence in ``detail`` (a 422
# also lists each problem in ``errors``). It replaces FastAPI's HTTPValidationError, whose
# ``detail`` is an array: this API never answers with that shape.
ERROR_SCHEMAS: dict[str, Any] = {
    "Error": {
        "title": "Error",
        "type": "object",
        "required": ["detail"],
        "properties": {
            "detail": {"type": "string", "description": "What is wrong, in one sentence."},
            "errors": {
                "type": "array",
                "description": "Each problem with the request (422 only).",
                "items": {"$ref": "#/components/schemas/Problem"},
            },
        },
    },
    "Problem": {
        "title": "Problem",
        "type": "object",
        "required": ["loc", "msg"],
        "properties": {
            "loc": {"type": "array", "items": {"type": "string"}, "description": "Where: body, field…"},
            "msg": {"type": "string"},
        },
    },
}
ERRORS = {
    "400": "The request is malformed.",
    "401": "No token, or one that is not valid (or a session that has ended).",
    "403": "Your role does not allow this, or a cookie request came from another site.",
    "404": "Not found, or not yours to know about.",
    "413": "The body, or an uploaded file, is over a limit (the detail says which).",
    "422": "A field is missing, of the wrong type, or out of range; or the input breaks a rule.",
    "429": "Too many failed sign-ins from this address; see Retry-After.",
    "503": "The store, index or model cannot be reached; nothing was changed.",
}


def documented_errors(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI schema with the error responses every operation can give, as they are sent."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components.update(ERROR_SCHEMAS)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = ["400", "413", "503"]
            if operation.get("security"):
                codes += ["401", "403", "404", "429"]
            if operation.get("parameters") or operation.get("requestBody") or "{" in path:
                codes += ["422"]
            for code in sorted(codes):
                responses[code] = {"description": ERRORS[code], "content": error}
            if "429" in responses:
                responses["429"]["headers"] = {
                    "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
                }
            if "401" in responses:
                responses["401"]["headers"] = {
                    "WWW-Authenticate": {"description": "Bearer.", "schema": {"type": "string"}}
                }
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            streams = "stream" in components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
            for ok in ("200", "201"):
                if streams and ok in responses:  # "stream": true answers with server-sent events
                    responses[ok].setdefault("content", {})["text/event-stream"] = {"schema": {}}
    app.openapi_schema = schema
    return schema


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
        # the dictionary the chat reads subjects with takes a second to load: meanwhile, not on a first turn
        threading.Thread(target=word_classes, args=("warm",), name="word-classes", daemon=True).start()
        # the chat's example messages (embedded once per data folder, then read) and its classifiers
        threading.Thread(target=app.state.chat.understander.warm, name="dialogue", daemon=True).start()
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
