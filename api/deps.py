"""Dependencies: the assistant objects and the signed-in user, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.session import SESSION_COOKIE, AuthFailures, require_same_origin
from api.slots import Slots
from assistant.chat import Chat
from assistant.core import Assistant
from assistant.guide import Guide

bearer = HTTPBearer(auto_error=False, description="A user's token from `users add` or `demo`.")


# Dependencies that only read the application's state or a cache are coroutines: FastAPI runs a
# plain function in a worker thread, and those hops cost each request about 0.5 ms of CPU.


async def get_assistant(request: Request) -> Assistant:
    """The process-wide assistant."""
    return request.app.state.assistant


async def get_guide(request: Request) -> Guide:
    """The process-wide guide (tasks)."""
    return request.app.state.guide


async def get_chat(request: Request) -> Chat:
    """The process-wide chat."""
    return request.app.state.chat


async def get_slots(request: Request) -> Slots:
    """The worker slots guidance calls take turns in."""
    return request.app.state.slots


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
GuideDep = Annotated[Guide, Depends(get_guide)]
ChatDep = Annotated[Chat, Depends(get_chat)]
SlotsDep = Annotated[Slots, Depends(get_slots)]


async def current_user(
    request: Request,
    assistant: AssistantDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, str]:
    """The user whose bearer token, or else web session cookie, came with the request, or 401.

    A cookie-authenticated request that changes something must come from this site's pages (403).
    A client whose tokens or sessions failed too often lately gets 429 (``AuthFailures``).
    """
    token = credentials.credentials if credentials is not None else ""
    session_id = "" if token else request.cookies.get(SESSION_COOKIE, "")
    if session_id:
        require_same_origin(request)
    if not token and not session_id:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Sign in with a bearer token.", {"WWW-Authenticate": "Bearer"}
        )
    failures: AuthFailures = request.app.state.auth_failures
    failures.check(request)
    if token:
        user = assistant.cached_user(token)
        if user is None:  # asking the store blocks: not on the event loop
            user = await run_in_threadpool(assistant.user_for_token, token)
    else:
        user = await run_in_threadpool(assistant.web_session_user, session_id)
    if user is None:
        failures.failed(request)
        message = "That token is not valid." if token else "Your session has ended; sign in again."
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, message, {"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[dict[str, str], Depends(current_user)]


def require(*roles: str) -> object:
    """A dependency that lets only the given roles through (403 otherwise)."""

    async def check(user: CurrentUser) -> dict[str, str]:
        if user["role"] not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"This needs one of these roles: {', '.join(roles)}."
            )
        return user

    return Depends(check)


Staff = Annotated[dict[str, str], require("admin", "coordinator")]
Admin = Annotated[dict[str, str], require("admin")]
