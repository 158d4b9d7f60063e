"""How many guidance calls run at once; the others wait their turn, in arrival order.

Answering offline is CPU work in Python: with more calls running than there are cores,
threads only pass the interpreter lock back and forth. Under bench/api.py's 16 clients on
2 cores, 3 at a time (the rest queued) rather than all 16 took topics' p99 latency from about
125 ms to 85 ms and chat's from about 155 ms to 95-115 ms, with a tenth less CPU per request;
2 or 4 at a time did a little worse than 3. A language model answers over the network, so
then many calls may wait on it at once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread

P = ParamSpec("P")
T = TypeVar("T")
MODEL_SLOTS = 40  # anyio's default number of worker threads


class Slots:
    """Runs blocking guidance calls in worker threads, at most ``size`` at a time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._limiter = anyio.CapacityLimiter(size)

    @classmethod
    def for_provider(cls, provider: str) -> Slots:
        """Cores + 1 when answers are composed offline (one more covers a commit's disk wait)."""
        return cls((os.cpu_count() or 1) + 1 if provider == "offline" else MODEL_SLOTS)

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args, **kwargs)`` in a worker thread once a slot is free."""
        return await anyio.to_thread.run_sync(functools.partial(call, *args, **kwargs), limiter=self._limiter)
