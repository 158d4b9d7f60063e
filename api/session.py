"""The web pages' sign-in session: a cookie holding the user's token, and the same-origin rule.

Browsers send cookies with cross-site requests, so a request authenticated by the cookie
that changes something must show it came from this site's own pages: its ``Origin`` (or,
failing that, ``Referer``) must name the host it was sent to. Requests with a bearer
token are not affected: another site cannot make a browser attach one. Behind a reverse
proxy, pass the original ``Host`` header through so the comparison holds.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response, status

SESSION_COOKIE = "assistant_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin(request: Request) -> bool:
    """Whether the request's Origin (or Referer) names the host the request was sent to."""
    host = request.headers.get("host")
    claimed = request.headers.get("origin")
    if not claimed or claimed == "null":
        claimed = request.headers.get("referer")
    if not host or not claimed:
        return False
    return urlsplit(claimed).netloc.lower() == host.lower()


def require_same_origin(request: Request) -> None:
    """Refuse (403) a state-changing request that did not come from this site's pages."""
    if request.method not in SAFE_METHODS and not same_origin(request):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "Cross-site request refused: use this site's pages, or send a bearer token.",
        )


def set_session(response: Response, request: Request, token: str) -> None:
    """Keep the token in an HTTP-only, same-site cookie that ends with the browser session."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session(response: Response) -> None:
    """Forget the signed-in user."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
