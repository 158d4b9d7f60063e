"""Dependencies: the assistant objects and the signed-in user, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.session import SESSION_COOKIE, require_same_origin
from assistant import program
from assistant.chat import Chat
from assistant.core import Assistant, user_dict
from assistant.guide import Guide

bearer = HTTPBearer(auto_error=False, description="A user's token from `users add` or `demo`.")


def get_assistant(request: Request) -> Assistant:
    """The process-wide assistant."""
    return request.app.state.assistant


def get_guide(request: Request) -> Guide:
    """The process-wide guide (tasks)."""
    return request.app.state.guide


def get_chat(request: Request) -> Chat:
    """The process-wide chat."""
    return request.app.state.chat


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
GuideDep = Annotated[Guide, Depends(get_guide)]
ChatDep = Annotated[Chat, Depends(get_chat)]


def current_user(
    request: Request,
    assistant: AssistantDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> dict[str, str]:
    """The user whose bearer token, or else web session cookie, came with the request, or 401.

    A cookie-authenticated request that changes something must come from this site's pages (403).
    """
    token = credentials.credentials if credentials is not None else ""
    if not token:
        token = request.cookies.get(SESSION_COOKIE, "")
        if token:
            require_same_origin(request)
    if not token:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "Sign in with a bearer token.", {"WWW-Authenticate": "Bearer"}
        )
    with assistant.session() as session:
        user = program.user_by_token(session, token)
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "That token is not valid.", {"WWW-Authenticate": "Bearer"}
            )
        return user_dict(user)


CurrentUser = Annotated[dict[str, str], Depends(current_user)]


def require(*roles: str) -> object:
    """A dependency that lets only the given roles through (403 otherwise)."""

    def check(user: CurrentUser) -> dict[str, str]:
        if user["role"] not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"This needs one of these roles: {', '.join(roles)}."
            )
        return user

    return Depends(check)


Staff = Annotated[dict[str, str], require("admin", "coordinator")]
Admin = Annotated[dict[str, str], require("admin")]
