"""A chat turn as server-sent events: status and prose tokens while it runs, then the reply.

The turn runs in one of the slots' worker threads (so the concurrency limit covers streams
too, and nothing times out while it waits for a slot); its events cross to the response
through an asyncio queue. No thread is started per stream. A client that goes away ends the
model call at its next token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from api.slots import Slots
from assistant.agent import EMIT
from assistant.chat import Reply
from assistant.errors import AssistantError

log = logging.getLogger(__name__)
FAILED = "Something went wrong on our side; please try again."


class Gone(ConnectionError):
    """The client stopped listening."""


async def turn_events(
    slots: Slots, answer: Callable[..., Reply], *args: Any
) -> AsyncIterator[tuple[str, Any]]:
    """Events of one chat turn, ``answer(*args)`` (validated by the caller before anything streams).

    "status" and "token" while it runs; then, when no prose streamed (offline), its "section"s;
    "done" with the reply (``reply`` for callers that want the object), or one "error".
    """
    loop = asyncio.get_running_loop()
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    listening = True
    tokens = 0

    def emit(kind: str, data: Any) -> None:
        if not listening:  # the response has ended: stop the model at its next token
            raise Gone("the client went away")
        loop.call_soon_threadsafe(events.put_nowait, (kind, data))

    async def work() -> None:
        token = EMIT.set(emit)  # copied into the worker thread's context
        try:
            reply = await slots.run(answer, *args)
            events.put_nowait(("reply", reply))
        except AssistantError as exc:
            events.put_nowait(("error", {"detail": str(exc)}))
        except Exception:
            log.exception("chat stream failed")
            events.put_nowait(("error", {"detail": FAILED}))
        finally:
            EMIT.reset(token)

    task = asyncio.create_task(work())
    try:
        while True:
            kind, data = await events.get()
            if kind == "reply":
                if not tokens or data.fallback_reason:  # nothing streamed, or offline after all
                    for section in data.message.split("\n\n"):
                        yield "section", section
                yield "reply", data
                yield "done", data.as_dict()
                return
            tokens += kind == "token"
            yield kind, data
            if kind == "error":
                return
    finally:
        listening = False
        if not task.done():
            task.cancel()
