"""The page route: HTML error pages, a redirect to sign in, and security headers on every page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.present import templates
from api.session import SESSION_COOKIE, clear_session
from assistant.core import Assistant
from assistant.errors import AssistantError

log = logging.getLogger("assistant.web")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
INVALID = "Some of what was sent is not valid. Check the address or the form and try again."


def error_page(request: Request, code: int, message: str) -> HTMLResponse:
    """A plain page for an error: what happened and where to go next."""
    user = getattr(request.state, "page_user", None)
    if user is None:
        try:
            assistant: Assistant = request.app.state.assistant
            user = assistant.web_session_user(request.cookies.get(SESSION_COOKIE, ""))
        except Exception:  # noqa: BLE001 - the error page must render even when the store is down
            user = None
    context: dict[str, Any] = {"user": user, "pairs": [], "code": code, "message": message, "active": None}
    return templates.TemplateResponse(request, "error.html", context, status_code=code)


def secured(response: Response) -> Response:
    """A page response with the security headers every page carries."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def wants_page(request: Request) -> bool:
    """Whether a browser asked for a page (rather than a client for JSON)."""
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/v1/")


class PageRoute(APIRoute):
    """A page: errors render as HTML, a missing sign-in redirects, and responses carry security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the handler so no page shows JSON errors or a traceback."""
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                response = await handler(request)
            except StarletteHTTPException as exc:
                if exc.status_code == status.HTTP_401_UNAUTHORIZED:
                    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                    signin = "/signin" if target == "/" else f"/signin?next={quote(target)}"
                    response = RedirectResponse(signin, status.HTTP_303_SEE_OTHER)
                    clear_session(response)
                else:
                    response = error_page(request, exc.status_code, str(exc.detail))
                    response.headers.update(exc.headers or {})  # Retry-After, Allow
            except AssistantError as exc:
                response = error_page(request, exc.status, str(exc))
            except RequestValidationError:
                response = error_page(request, status.HTTP_422_UNPROCESSABLE_CONTENT, INVALID)
            except Exception as exc:  # a page must never show a traceback
                log.exception("page failed", exc_info=exc)
                response = error_page(request, 500, "Something went wrong on our side; nothing was changed.")
            return secured(response)

        return page
