"""Engines under mixed load: searches and note writes from 16 clients against the real server.

Usage: python bench/engines.py [--json] [--chunks 10000,100000] [--synthetic-vectors]
       [--chroma-server] [--scale 1000000] [--requests 3000] [--clients 16] [--home DIR]

For each size, a synthetic program of that many note chunks (about 50 per pair; see
bench/synthetic.py) is written straight into a fresh data folder and indexed, in a child
process; then ``python -m assistant serve`` starts on it and 16 clients send a fixed number of
requests over keep-alive connections: 10 % note writes (POST /v1/pairs/{pair}/notes with an
Idempotency-Key, by one of the pair's members) and 90 % searches (POST /v1/search as a mentor or
an executive, over their own pairs' notes and the guidelines).

Every acknowledged note is then looked for by its author: some of the clients' searches are
probes, a dense search (``mode=dense``: the vector index, not the words the store keeps) with
the note's text. A note's first probe takes the first search slot after its acknowledgement,
the next ones come every ``--probe-every`` seconds until one finds it. Its freshness is the time
from the acknowledgement until the probe that found it was sent: an upper bound (it includes
waiting for a search slot, and up to one probe interval). Probes are reported apart from the
other searches; notes still pending when the requests run out are probed until
``--fresh-deadline``. ``--home DIR`` keeps each size's data folder there and reuses it.

``--synthetic-vectors`` indexes random unit vectors (seeded by each text's hash) instead of
embedding every chunk with the local model, in the loader and in the server: the index, the
store and the search path do the same work, without minutes of model time per 100k chunks.
Dense rankings are then meaningless, and the output says so. ``--chroma-server`` runs the index
in ``chroma run`` (its memory is reported apart); ``--postgres`` puts the store in a PostgreSQL
cluster started for the run (in ``--home`` when given, and reused with it). ``--load-budget``
stops loading (between tranches of 20k chunks) once that many seconds are spent; ``--direct``
indexes each tranche in large batches instead of draining the outbox (see bench/synthetic.py).

``--scale N`` is issue 16's scale target: 10k and N note chunks (and any ``--chunks`` sizes in
between) with synthetic vectors, ``--per-pair`` chunks per pair, loaded directly; then
``--requests`` searches by mentors of random pairs from ``--clients`` clients (no writes), the
query embedded by the local model (``--real-queries``, on by default here). It reports a mentor's
search p50/p99 and the server's memory after the same number of searches at each size, with the
machine's load average, and the verdicts: p50 ≤ 50 ms at the largest size, memory within 10 %.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import heapq
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # `bench.…` and the project's `api`, not bench/api.py as `api`

from bench.api import cpu_seconds, free_port, percentile_ms, read_response, rss_mb, wait_for_health  # noqa: E402
from bench.corpus import synthetic_queries  # noqa: E402
from bench.synthetic import PER_PAIR, Writer, load, pair_id, token, use_random_vectors, user_ids  # noqa: E402

TARGETS = {"search_p50_ms": 15.0, "search_p99_ms": 100.0, "fresh_max_s": 1.0, "scale_search_p50_ms": 50.0}


@dataclass(order=True)
class Pending:
    """An acknowledged note not found yet by a dense search of its author."""

    due: float
    note_id: str = field(compare=False)
    token: str = field(compare=False)
    query: str = field(compare=False)
    acked: float = field(compare=False)


@dataclass
class Tally:
    """What the clients measured."""

    search: list[float] = field(default_factory=list)
    mentor_search: list[float] = field(default_factory=list)
    probe: list[float] = field(default_factory=list)
    write: list[float] = field(default_factory=list)
    fresh: list[float] = field(default_factory=list)  # acknowledged -> sent the probe that found it
    answered: list[float] = field(default_factory=list)  # acknowledged -> that probe's answer
    stale: list[str] = field(default_factory=list)  # notes no probe found before the deadline
    errors: list[str] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)  # a heap, earliest probe first
    probes_after_run: int = 0


@dataclass(frozen=True)
class Op:
    """One request of the mix."""

    kind: str  # "search" or "write"
    pair: int
    mentor: bool
    text: str


class Client:
    """One keep-alive connection sending the mix's requests in turn."""

    def __init__(self, port: int, tally: Tally, probe_every: float, deadline: float, today: str) -> None:
        self.port, self.tally = port, tally
        self.probe_every, self.deadline, self.today = probe_every, deadline, today
        self.connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def send(
        self, path: str, user_token: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, Any, float, float]:
        """POST a JSON body: status, parsed answer, and when it was sent and fully read."""
        payload = json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {user_token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n{extra}\r\n"
        ).encode() + payload
        begin = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self.connection
            writer.write(request)
            status, answer, closing = await read_response(reader)
            parsed = json.loads(answer) if status < 300 else answer[:200]
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status, parsed, closing = 0, type(exc).__name__, True
        if closing and self.connection is not None:
            self.connection[1].close()
            self.connection = None
        return status, parsed, begin, time.perf_counter()

    async def run(self, ops: list[Op], jobs: Iterator[int], measured: bool) -> None:
        """Take the next request of the mix until none is left."""
        while (i := next(jobs)) < len(ops):
            op = ops[i]
            pending = self.tally.pending
            if op.kind == "search" and pending and pending[0].due <= time.perf_counter():
                await self.probe(heapq.heappop(pending), measured)
            elif op.kind == "search":
                await self.search(op, measured)
            else:
                await self.write(op, measured)

    async def search(self, op: Op, measured: bool) -> None:
        mentor, executive = user_ids(op.pair)
        status, _, begin, end = await self.send(
            "/v1/search", token(mentor if op.mentor else executive), {"query": op.text, "k": 5}
        )
        if not measured:
            return
        self.tally.search.append(end - begin)
        if op.mentor:
            self.tally.mentor_search.append(end - begin)
        if status != 200:
            self.tally.errors.append(f"search {status}")

    async def write(self, op: Op, measured: bool) -> None:
        author = user_ids(op.pair)[0 if op.mentor else 1]
        body = {"date": self.today, "text": op.text, "visibility": "pair"}
        key = {"Idempotency-Key": f"bench-{uuid.uuid4().hex}"}
        status, note, begin, end = await self.send(
            f"/v1/pairs/{pair_id(op.pair)}/notes", token(author), body, key
        )
        if not measured:
            return
        self.tally.write.append(end - begin)
        if status != 201:
            self.tally.errors.append(f"write {status}")
            return
        query = f"Session note {self.today}\n{op.text}"  # what the note's chunk was embedded as
        heapq.heappush(self.tally.pending, Pending(end, note["id"], token(author), query, end))

    async def probe(self, note: Pending, measured: bool) -> None:
        body = {"query": note.query, "k": 5, "mode": "dense"}
        status, hits, begin, end = await self.send("/v1/search", note.token, body)
        if measured:
            self.tally.probe.append(end - begin)
        else:
            self.tally.probes_after_run += 1
        if status != 200:
            self.tally.errors.append(f"probe {status}")
        if status == 200 and any(h.get("note_id") == note.note_id for h in hits):
            self.tally.fresh.append(begin - note.acked)
            self.tally.answered.append(end - note.acked)
        elif end - note.acked > self.deadline:
            self.tally.stale.append(note.note_id)
        else:
            heapq.heappush(self.tally.pending, Pending(end + self.probe_every, *_rest(note)))

    async def finish_probes(self) -> None:
        """Probe the notes still pending when the requests ran out (not counted as load)."""
        while self.tally.pending:
            wait = self.tally.pending[0].due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            await self.probe(heapq.heappop(self.tally.pending), measured=False)

    def close(self) -> None:
        if self.connection is not None:
            self.connection[1].close()
            self.connection = None


def _rest(note: Pending) -> tuple[str, str, str, float]:
    return note.note_id, note.token, note.query, note.acked


def mix(pairs: int, total: int, write_share: float, writer: Writer, seed: int) -> list[Op]:
    """``total`` requests: writes with fresh short notes, searches with distinct queries."""
    rng = random.Random(seed)
    queries = iter(synthetic_queries(total, seed))
    ops = []
    for i in range(total):
        pair, mentor = rng.randrange(pairs), rng.random() < 0.5
        if rng.random() < write_share:
            ops.append(
                Op("write", pair, mentor, f"{writer.sentence()} Ref {seed}-{i}-{rng.getrandbits(32):08x}.")
            )
        else:
            ops.append(Op("search", pair, mentor, next(queries)))
    return ops


async def drive(port: int, ops: list[Op], args: argparse.Namespace, tally: Tally, measured: bool) -> float:
    """Send ``ops`` from ``--clients`` clients; returns the wall time they took."""
    today = dt.date.today().isoformat()
    clients = [Client(port, tally, args.probe_every, args.fresh_deadline, today) for _ in range(args.clients)]
    jobs = itertools.count()
    begin = time.perf_counter()
    await asyncio.gather(*(c.run(ops, jobs, measured) for c in clients))
    wall = time.perf_counter() - begin
    if measured:
        await clients[0].finish_probes()
    for c in clients:
        c.close()
    return wall


def child_env(home: Path, chroma_url: str | None, database_url: str | None = None) -> dict[str, str]:
    """The environment of the loader and the server: the data folder, offline answers."""
    env = {
        **os.environ,
        "ASSISTANT_HOME": str(home),
        "ASSISTANT_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"),
        "ASSISTANT_LLM": "offline",
    }
    env.pop("ASSISTANT_DATABASE_URL", None)
    env.pop("ASSISTANT_CHROMA_URL", None)
    if chroma_url:
        env["ASSISTANT_CHROMA_URL"] = chroma_url
    if database_url:
        env["ASSISTANT_DATABASE_URL"] = database_url
    return env


def prepare(folder: Path, chunks: int, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    """Load the program in a child process, or reuse a folder loaded with the same settings."""
    marker = folder / "load.json"
    if marker.exists():
        loaded: dict[str, Any] = json.loads(marker.read_text())
        sys.stderr.write(f"reusing {folder} ({loaded['chunks']} chunks)\n")
        return {**loaded, "reused": True}
    command = [sys.executable, __file__, "--load-into", str(chunks), "--load-budget", str(args.load_budget)]
    command += ["--per-pair", str(args.per_pair)]
    command += ["--synthetic-vectors"] if args.synthetic_vectors else []
    command += ["--direct"] if args.direct else []
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, check=True, stdout=subprocess.PIPE)
    loaded = json.loads(done.stdout.splitlines()[-1])  # the loader's last line
    marker.write_text(json.dumps(loaded))
    return {**loaded, "reused": False}


@contextmanager
def chroma_run(folder: Path) -> Iterator[tuple[str, int]]:
    """``chroma run`` on a free port with its data in ``folder``; yields its URL and process id."""
    port = free_port()
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    command = [chroma, "run", "--path", str(folder / "chroma"), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with (folder / "chroma.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start; see {folder / 'chroma.log'}") from None
                time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def database_for(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the cluster, made when missing."""
    import sqlalchemy

    from tests.engines import _administer

    engine = sqlalchemy.create_engine(server_url)
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                sqlalchemy.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
    finally:
        engine.dispose()
    if not found:
        _administer(server_url, f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def run_size(
    chunks: int, args: argparse.Namespace, base: Path, postgres: str | None = None
) -> dict[str, Any]:
    """Load one size, serve it, drive the mix; the figures of that run."""
    engine = "chroma-server" if args.chroma_server else "embedded"
    vectors = "synthetic" if args.synthetic_vectors else "local-model"
    store = "postgresql" if postgres else "sqlite"
    folder = base / f"{chunks}-{vectors}-{engine}-{store}-{args.per_pair}"
    folder.mkdir(parents=True, exist_ok=True)
    chroma: Any = chroma_run(folder) if args.chroma_server else nullcontext((None, None))
    with chroma as (chroma_url, chroma_pid):
        database = database_for(postgres, f"bench_{chunks}_{args.per_pair}") if postgres else None
        env = child_env(folder / "home", chroma_url, database)
        loaded = prepare(folder, chunks, args, env)
        if args.load_only:
            return {"chunks": loaded["chunks"], "folder": str(folder), **loaded}
        if args.synthetic_vectors:
            command = [sys.executable, __file__, "--serve", "--synthetic-vectors"]
            command += ["--real-queries"] if args.real_queries else []
            command += ["--cache-chunks", str(args.cache_chunks)] if args.cache_chunks else []
        else:
            command = [sys.executable, "-m", "assistant", "serve"]
        port = free_port()
        log_path = folder / "server.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            server = subprocess.Popen(
                [*command, "--port", str(port)], cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                startup_s = wait_for_health(port, server, started, 600)
                result = (measure_scale if args.scale else measure)(port, server.pid, loaded, args)
                if chroma_pid:
                    result["chroma_rss_mb"] = rss_mb(chroma_pid)[0]
            except BaseException:
                sys.stderr.write(log_path.read_text(errors="replace")[-3000:])
                raise
            finally:
                server.terminate()
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    return {
        "chunks": loaded["chunks"],
        "chunks_asked": chunks,
        "vectors": vectors,
        "engine": engine,
        "store": store,
        "per_pair": args.per_pair,
        "cache_chunks": args.cache_chunks,
        **{f"load_{k}": v for k, v in loaded.items() if k != "chunks"},
        "startup_s": round(startup_s, 2),
        **result,
    }


def measure(port: int, pid: int, loaded: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Warm up (searches only), drive the measured mix, and collect the figures."""
    writer = Writer(REPO_ROOT / "knowledge", args.seed)
    rss_idle, _ = rss_mb(pid)
    asyncio.run(
        drive(port, mix(loaded["pairs"], args.warmup, 0.0, writer, args.seed + 1), args, Tally(), False)
    )
    ops = mix(loaded["pairs"], args.requests, args.write_share, writer, args.seed)
    tally = Tally()
    cpu = cpu_seconds(pid)
    wall = asyncio.run(drive(port, ops, args, tally, measured=True))
    server_cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / len(ops)
    rss_now, rss_peak = rss_mb(pid)

    def seconds(values: list[float], q: float) -> float | None:
        return round(percentile_ms(values, q) / 1000, 3) if values else None

    def ms(values: list[float], q: float) -> float | None:
        return percentile_ms(values, q) if values else None

    return {
        "requests": len(ops),
        "rps": round(len(ops) / wall, 1),
        "searches": len(tally.search),
        "search_p50_ms": ms(tally.search, 50),
        "search_p99_ms": ms(tally.search, 99),
        "mentor_search_p50_ms": ms(tally.mentor_search, 50),
        "probes": len(tally.probe),
        "probe_p50_ms": ms(tally.probe, 50),
        "probe_p99_ms": ms(tally.probe, 99),
        "probes_after_run": tally.probes_after_run,
        "writes": len(tally.write),
        "write_p50_ms": ms(tally.write, 50),
        "write_p99_ms": ms(tally.write, 99),
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors)),
        "acknowledged": len(tally.fresh) + len(tally.stale),
        "fresh_p50_s": seconds(tally.fresh, 50),
        "fresh_p99_s": seconds(tally.fresh, 99),
        "fresh_max_s": round(max(tally.fresh), 3) if tally.fresh else None,
        "fresh_over_1s": sum(t > 1.0 for t in tally.fresh),
        "fresh_answered_max_s": round(max(tally.answered), 3) if tally.answered else None,
        "not_found": len(tally.stale),
        "server_cpu_ms": round(server_cpu_ms, 2),
        "rss_idle_mb": rss_idle,
        "rss_mb": rss_now,
        "rss_peak_mb": rss_peak,
    }


def mentor_searches(pairs: int, total: int, seed: int) -> list[Op]:
    """``total`` searches, each by the mentor of a random pair, with distinct queries."""
    rng = random.Random(seed)
    return [Op("search", rng.randrange(pairs), True, query) for query in synthetic_queries(total, seed)]


def measure_scale(port: int, pid: int, loaded: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then mentors' searches only: latency, server CPU and memory, and the machine's load."""
    rss_idle, _ = rss_mb(pid)
    warmup = mentor_searches(loaded["pairs"], args.warmup, args.seed + 1)
    asyncio.run(drive(port, warmup, args, Tally(), False))
    ops = mentor_searches(loaded["pairs"], args.requests, args.seed)
    tally = Tally()
    load_before = os.getloadavg()[0]
    cpu = cpu_seconds(pid)
    wall = asyncio.run(drive(port, ops, args, tally, measured=True))
    server_cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / len(ops)
    rss_now, rss_peak = rss_mb(pid)
    split: dict[str, Any] = {}
    if args.clients == 1:  # answers in the order asked: a reader's first search here, or a repeat
        seen, first, repeat = {op.pair for op in warmup}, [], []
        for op, seconds in zip(ops, tally.mentor_search, strict=True):
            (repeat if op.pair in seen else first).append(seconds)
            seen.add(op.pair)
        for name, values in (("first", first), ("repeat", repeat)):
            split[f"mentor_{name}_searches"] = len(values)
            split[f"mentor_{name}_p50_ms"] = percentile_ms(values, 50) if values else None
    return {
        "requests": len(ops),
        "rps": round(len(ops) / wall, 1),
        "searches": len(tally.search),
        "mentor_search_p50_ms": percentile_ms(tally.mentor_search, 50),
        "mentor_search_p99_ms": percentile_ms(tally.mentor_search, 99),
        **split,
        "errors": len(tally.errors),
        "error_kinds": sorted(set(tally.errors)),
        "server_cpu_ms": round(server_cpu_ms, 2),
        "rss_idle_mb": rss_idle,
        "rss_mb": rss_now,
        "rss_peak_mb": rss_peak,
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def verdicts(runs: list[dict[str, Any]], scale: bool) -> dict[str, bool]:
    """Each target, met or not, over every run (and between the smallest and largest for --scale)."""
    met = {"errors_0": all(r["errors"] == 0 for r in runs)}
    if scale:
        small, large = runs[0], runs[-1]
        met["mentor_search_p50_at_largest"] = large["mentor_search_p50_ms"] <= TARGETS["scale_search_p50_ms"]
        met["memory_flat_10pct"] = abs(large["rss_mb"] / small["rss_mb"] - 1) <= 0.10
    else:
        met["fresh_within_1s"] = all(r["not_found"] == 0 and r["fresh_over_1s"] == 0 for r in runs)
        met["search_p50"] = all(r["search_p50_ms"] <= TARGETS["search_p50_ms"] for r in runs)
        met["search_p99"] = all(r["search_p99_ms"] <= TARGETS["search_p99_ms"] for r in runs)
    return met


COLUMNS = [
    ("chunks", "chunks"),
    ("rps", "req/s"),
    ("search_p50_ms", "search p50"),
    ("search_p99_ms", "search p99"),
    ("mentor_search_p50_ms", "mentor p50"),
    ("probe_p50_ms", "probe p50"),
    ("write_p50_ms", "write p50"),
    ("write_p99_ms", "write p99"),
    ("errors", "errors"),
    ("fresh_p99_s", "fresh p99 s"),
    ("fresh_max_s", "fresh max s"),
    ("not_found", "not found"),
    ("rss_mb", "RSS MB"),
]


def show(report: dict[str, Any]) -> None:
    """Print the figures for people."""
    for run in report["runs"]:
        print(
            f"{run['chunks']} chunks in {run['load_pairs']} pairs, {run['vectors']} vectors"
            + (" (SYNTHETIC: random unit vectors, no model)" if run["vectors"] == "synthetic" else "")
            + f", {run['engine']} Chroma; loaded in {run['load_store_s'] + run['load_index_s']:.0f} s"
            + (" (reused)" if run["load_reused"] else "")
            + ("" if run["load_complete"] else f" (load budget spent: {run['chunks_asked']} asked)")
            + f", server healthy after {run['startup_s']} s"
        )
    if report["scale"]:
        print(f"\n{report['clients']} clients, {report['requests']} searches by mentors of random pairs")
        for run in report["runs"]:
            print(
                f"{run['chunks']:>9} chunks: mentor search p50 {run['mentor_search_p50_ms']} ms, "
                f"p99 {run['mentor_search_p99_ms']} ms, {run['rps']} req/s, "
                f"server {run['server_cpu_ms']} ms CPU a search, RSS {run['rss_idle_mb']} MB idle / "
                f"{run['rss_mb']} MB after / {run['rss_peak_mb']} MB peak, "
                f"Chroma server {run.get('chroma_rss_mb', '-')} MB, load {run['load_average_1m']}, "
                f"{run['errors']} errors"
            )
            if "mentor_first_searches" in run:
                print(
                    f"{'':>17}a reader's first search here: {run['mentor_first_searches']}, p50 "
                    f"{run['mentor_first_p50_ms']} ms; a repeat: {run['mentor_repeat_searches']}, p50 "
                    f"{run['mentor_repeat_p50_ms']} ms"
                )
        print(
            "targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in report["targets"].items())
        )
        return
    print(f"\n{report['clients']} clients, {report['requests']} requests, {report['write_share']:.0%} writes")
    print("".join(f"{title:>13}" for _, title in COLUMNS))
    for run in report["runs"]:
        print("".join(f"{'-' if run.get(key) is None else run[key]!s:>13}" for key, _ in COLUMNS))
    for run in report["runs"]:
        extra = f", Chroma server {run['chroma_rss_mb']} MB" if "chroma_rss_mb" in run else ""
        print(
            f"{run['chunks']}: {run['searches']} searches + {run['probes']} probes "
            f"(+{run['probes_after_run']} after the run), {run['writes']} writes, "
            f"{run['acknowledged']} notes acknowledged; server {run['server_cpu_ms']} ms CPU a request, "
            f"{run['rss_idle_mb']} MB idle, {run['rss_peak_mb']} MB peak{extra}"
            + (f"; errors: {', '.join(run['error_kinds'])}" if run["error_kinds"] else "")
        )
    print("targets: " + ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in report["targets"].items()))


def serve_synthetic(port: int, real_queries: bool, cache_chunks: int | None) -> None:
    """The server as `serve` runs it, with the random embedder (the --serve child).

    ``cache_chunks`` replaces the note caches' budget (chunks, keyword indexes, tokens, vectors).
    """
    from assistant import index, retrieval
    from assistant.cli.app import serve

    if cache_chunks:
        index.NOTE_VECTORS = cache_chunks
        retrieval._CHUNKS, retrieval._KEYWORDS, retrieval._WORDS = retrieval.chunk_caches(cache_chunks)
    use_random_vectors(real_queries)
    serve(host="127.0.0.1", port=port)


def load_child(chunks: int, budget: float, per_pair: int, direct: bool) -> None:
    """Load a program into the data folder the environment names (the --load-into child)."""
    from assistant.settings import get_settings

    say = lambda line: sys.stderr.write(f"{time.strftime('%H:%M:%S')} {line}\n")  # noqa: E731
    loaded = load(get_settings(), chunks, budget, say=say, per_pair=per_pair, direct=direct)
    print(json.dumps(loaded.as_dict()))


def main() -> None:
    """Parse the options, run every size, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--chunks", default="10000", help="note chunks, one size or several: 10000,100000")
    parser.add_argument("--scale", type=int, help="run 10k and this many chunks with synthetic vectors")
    parser.add_argument("--synthetic-vectors", action="store_true", help="random vectors, no embedding")
    parser.add_argument("--chroma-server", action="store_true", help="the index in `chroma run`")
    parser.add_argument(
        "--postgres", action="store_true", help="the store in PostgreSQL (started for the run)"
    )
    parser.add_argument("--per-pair", type=int, default=PER_PAIR, help="note chunks per pair")
    parser.add_argument(
        "--direct", action="store_true", help="index in large batches, not through the outbox"
    )
    parser.add_argument("--real-queries", action="store_true", help="embed queries with the local model")
    parser.add_argument("--cache-chunks", type=int, help="the server's note cache budget, in chunks")
    parser.add_argument("--clients", type=int, help="concurrent clients (16; 1 with --scale)")
    parser.add_argument("--requests", type=int, default=3000, help="measured requests per size")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured searches first")
    parser.add_argument("--write-share", type=float, default=0.10)
    parser.add_argument("--probe-every", type=float, default=0.1, help="seconds between probes of a note")
    parser.add_argument("--fresh-deadline", type=float, default=10.0, help="seconds a note may take")
    parser.add_argument("--load-budget", type=float, default=float("inf"), help="seconds of loading")
    parser.add_argument("--home", type=Path, help="keep loaded folders here and reuse them")
    parser.add_argument(
        "--load-only", action="store_true", help="load each size into --home, measure nothing"
    )
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--load-into", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_synthetic(args.port, args.real_queries, args.cache_chunks)
        return
    if args.load_into is not None:
        if args.synthetic_vectors:
            use_random_vectors()
        load_child(args.load_into, args.load_budget, args.per_pair, args.direct)
        return
    sizes = [int(size) for size in args.chunks.split(",")]
    if args.scale:
        between = [size for size in sizes if 10_000 < size < args.scale]
        sizes = [10_000, *between, args.scale]
        args.synthetic_vectors = args.direct = args.real_queries = True
    if args.clients is None:
        args.clients = 1 if args.scale else 16
    with (
        nullcontext(args.home) if args.home else tempfile.TemporaryDirectory(prefix="bench-engines-") as base
    ):
        from tests.engines import postgres_cluster  # the test suite's cluster, kept in the data folder

        postgres: Any = postgres_cluster(Path(base) / "postgres") if args.postgres else nullcontext(None)
        with postgres as postgres_url:
            runs = [run_size(size, args, Path(base), postgres_url) for size in sizes]
    if args.load_only:
        print(json.dumps(runs))
        return
    report = {
        "runs": runs,
        "clients": args.clients,
        "requests": args.requests,
        "write_share": args.write_share,
        "probe_every_s": args.probe_every,
        "synthetic_vectors": args.synthetic_vectors,
        "scale": bool(args.scale),
        "cpus": os.cpu_count(),
        "targets": verdicts(runs, bool(args.scale)),
    }
    if args.json:
        print(json.dumps(report))
    else:
        show(report)


if __name__ == "__main__":
    main()
