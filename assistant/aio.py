"""One event loop for every model call, so a call that runs out of time is cancelled, not abandoned.

Model calls are coroutines (LangChain's ``ainvoke``/``astream``). Synchronous callers (the tasks,
the CLI, a chat turn answered in a worker thread) hand them to this loop and wait; a timeout
cancels the coroutine, which closes its HTTP request. There is one loop thread for the process,
never a thread per call, and the HTTP clients LangChain caches stay on the loop that made them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
_LOCK = threading.Lock()
_LOOP: asyncio.AbstractEventLoop | None = None


def loop() -> asyncio.AbstractEventLoop:
    """The model calls' event loop, started on first use."""
    global _LOOP
    with _LOCK:
        if _LOOP is None or _LOOP.is_closed():
            started = asyncio.new_event_loop()
            threading.Thread(target=started.run_forever, name="model-calls", daemon=True).start()
            _LOOP = started
        return _LOOP


def submit(coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
    """Start a coroutine on the model loop; cancelling the future cancels the coroutine."""
    return asyncio.run_coroutine_threadsafe(coro, loop())


def run(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run a coroutine on the model loop and wait for it; past ``timeout`` it is cancelled.

    Raises:
        TimeoutError: the coroutine did not finish in time (it has been cancelled).
    """

    async def bounded() -> T:
        if timeout is None:
            return await coro
        try:
            async with asyncio.timeout(timeout):
                return await coro
        except TimeoutError:
            raise TimeoutError(f"the model did not answer within {timeout:g} s") from None

    future = submit(bounded())
    try:
        return future.result()
    except BaseException:
        future.cancel()  # the caller was interrupted: the model call ends with it
        raise
