"""The web pages' sign-in session, the same-origin rule, and the limit on failed authentication.

Signing in with an API token starts a server-side session: the cookie holds a random session
id, never the token. The session ends at sign-out, after ``ASSISTANT_SESSION_HOURS``, when
the user's token is revoked, and when the browser signs in again (which gets a new id).

Browsers send cookies with cross-site requests, so a request authenticated by the cookie
that changes something must show it came from this site's own pages: its ``Origin`` (or,
failing that, ``Referer``) must name the host it was sent to. Requests with a bearer
token are not affected: another site cannot make a browser attach one. Behind a reverse
proxy, pass the original ``Host`` header through so the comparison holds.
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response, status
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

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


def set_session(response: Response, request: Request, session_id: str, seconds: int) -> None:
    """Keep the session id in an HTTP-only, same-site cookie that lasts as long as the session."""
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session(response: Response) -> None:
    """Forget the signed-in user."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


class AuthFailures:
    """Failed authentications per client (a wrong token or session, at sign-in or on any call).

    Past ``per_minute`` in a moving minute, the client's requests that carry credentials get 429
    with ``Retry-After`` until the window has room again, right or wrong: guessing stops. Counted
    in this process (the ``limits`` library's moving window, in memory); each server process
    keeps its own count. The client is the connecting address: behind a proxy, run uvicorn
    with ``--forwarded-allow-ips`` so it is the original one.
    """

    def __init__(self, per_minute: int) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    @staticmethod
    def client(request: Request) -> str:
        """The key failures are counted under."""
        return request.client.host if request.client else "unknown"

    def check(self, request: Request) -> None:
        """Refuse (429) a client that has failed too often lately."""
        key = self.client(request)
        if not self.limiter.test(self.item, key):
            reset = self.limiter.get_window_stats(self.item, key).reset_time
            wait = max(1, math.ceil(reset - time.time()))
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                f"Too many failed sign-ins from this address; try again in {wait} s.",
                {"Retry-After": str(wait)},
            )

    def failed(self, request: Request) -> None:
        """Count one failed authentication for the request's client."""
        self.limiter.hit(self.item, self.client(request))
