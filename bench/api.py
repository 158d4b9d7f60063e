"""HTTP API benchmark: the real server over loopback, 16 concurrent clients, offline mode.

Usage: python bench/api.py [--json] [--requests 800] [--concurrency 16]
Loads the demo program into a temporary data folder (``python -m assistant demo``), starts
``python -m assistant serve`` on a free port, measures the time until ``GET /health`` answers 200,
then sends a fixed number of requests to POST /v1/ask, /v1/topics and /v1/chat from concurrent
clients and reports requests/s and p50/p99 latency per endpoint, the CPU time the server and the
load generator spent per request, and the server's resident memory.

Each client sends its next request when the previous answer has been read in full and parsed as
JSON, over its own keep-alive HTTP/1.1 connection. The clients are coroutines on one asyncio loop
rather than threads: the load generator shares the two cores with the server, and a thread per
client (with httpx) cost the server a third of a core.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = REPO_ROOT / "knowledge" / "eval" / "questions.yaml"
PAIR = "priya-martin"
FOCUSES = [
    None,
    "AI tools",
    "social media",
    "giving feedback",
    "how decisions get made",
    "hybrid work",
    "customer expectations",
    "career growth",
]
CHAT_MESSAGES = [
    "any ideas for Thursday?",
    "how often should we meet?",
    "he keeps cancelling",
    "can you draft a 45 minute agenda",
    "what should we talk about next time?",
    "she checks her phone during our sessions",
    "is my mentor supposed to fix my laptop",
    "draft a 30 minute agenda about AI tools",
    "what happens when the six months are over?",
    "he gets defensive when I give feedback",
]


def percentile_ms(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of seconds, in milliseconds (nearest rank)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index] * 1000, 1)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, in MB (from /proc/<pid>/status)."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return round(fields.get("VmRSS", 0.0), 1), round(fields.get("VmHWM", 0.0), 1)


def questions() -> list[str]:
    """Every labeled question: answerable ones and out-of-scope ones."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    answerable = [q["question"] for q in data.get("answerable", [])]
    return answerable + [str(q) for q in data.get("out_of_scope", [])]


def wait_for_health(port: int, server: subprocess.Popen[bytes], start: float, timeout: float) -> float:
    """Seconds from ``start`` until GET /health answered 200."""
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode} before it was healthy")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5.0)
        try:
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        finally:
            connection.close()
        if time.perf_counter() - start > timeout:
            raise RuntimeError(f"the server was not healthy after {timeout:.0f} s")
        time.sleep(0.02)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """One HTTP/1.1 response: status, body (by Content-Length or chunked) and whether to reconnect."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if headers.get("transfer-encoding") == "chunked":
        parts = []
        while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await reader.readexactly(size + 2))
        await reader.readuntil(b"\r\n")
        body = b"".join(p[:-2] for p in parts)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), body, headers.get("connection") == "close"


async def client(
    port: int, path: str, token: str, body: Callable[[int], dict[str, Any]], jobs: Iterator[int], total: int
) -> tuple[list[float], list[str]]:
    """One client on one keep-alive connection: POST, read and parse the whole answer, repeat."""
    latencies: list[float] = []
    errors: list[str] = []
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while (i := next(jobs)) < total:
        payload = json.dumps(body(i)).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode() + payload
        begin = time.perf_counter()
        try:
            if connection is None:
                connection = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = connection
            writer.write(request)
            status, answer, closing = await read_response(reader)
            if status == 200:
                json.loads(answer)
            error = "" if status == 200 else str(status)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            error, closing = type(exc).__name__, True
        latencies.append(time.perf_counter() - begin)
        if error:
            errors.append(error)
        if closing and connection is not None:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()
    return latencies, errors


async def drive(
    port: int, path: str, token: str, body: Callable[[int], dict[str, Any]], total: int, clients: int
) -> dict[str, Any]:
    """Send ``total`` POSTs from ``clients`` concurrent clients; requests/s, latency and errors."""
    jobs = itertools.count()
    start = time.perf_counter()
    results = await asyncio.gather(*(client(port, path, token, body, jobs, total) for _ in range(clients)))
    wall = time.perf_counter() - start
    latencies = [t for times, _ in results for t in times]
    errors = [e for _, failed in results for e in failed]
    return {
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": percentile_ms(latencies, 50),
        "p99_ms": percentile_ms(latencies, 99),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    """Start the server, load it, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--requests", type=int, default=800, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=32, help="unmeasured requests per endpoint first")
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    args = parser.parse_args()

    asked = questions()
    endpoints: dict[str, tuple[str, str, Callable[[int], dict[str, Any]]]] = {
        "ask": ("/v1/ask", "demo-priya", lambda i: {"question": asked[i % len(asked)]}),
        "topics": (
            "/v1/topics",
            "demo-priya",
            lambda i: (
                {"pair_id": PAIR, "count": 1 + i % 10}
                | ({"focus": focus} if (focus := FOCUSES[i % len(FOCUSES)]) else {})
            ),
        ),
        "chat": ("/v1/chat", "demo-priya", lambda i: {"message": CHAT_MESSAGES[i % len(CHAT_MESSAGES)]}),
    }

    with tempfile.TemporaryDirectory(prefix="bench-api-") as scratch:
        home = Path(scratch) / "home"
        env = {
            **os.environ,
            "ASSISTANT_HOME": str(home),
            "ASSISTANT_KNOWLEDGE_DIR": str(REPO_ROOT / "knowledge"),
            "ASSISTANT_LLM": "offline",
        }
        begin = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "demo"],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        demo_s = time.perf_counter() - begin

        port = free_port()
        log_path = Path(scratch) / "server.log"
        with log_path.open("wb") as log:
            start = time.perf_counter()
            server = subprocess.Popen(
                [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                startup_s = wait_for_health(port, server, start, args.startup_timeout)
                rss_idle, _ = rss_mb(server.pid)
                results: dict[str, dict[str, Any]] = {}
                for name, (path, token, body) in endpoints.items():
                    asyncio.run(drive(port, path, token, body, args.warmup, args.concurrency))
                    server_cpu, own_cpu = cpu_seconds(server.pid), time.process_time()
                    results[name] = asyncio.run(
                        drive(port, path, token, body, args.requests, args.concurrency)
                    )
                    per_request = 1000 / args.requests
                    results[name]["server_cpu_ms"] = round(
                        (cpu_seconds(server.pid) - server_cpu) * per_request, 2
                    )
                    results[name]["client_cpu_ms"] = round((time.process_time() - own_cpu) * per_request, 2)
                rss_now, rss_peak = rss_mb(server.pid)
            except BaseException:
                server.kill()
                server.wait()
                sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
                raise
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    report: dict[str, Any] = {}
    for name, figures in results.items():
        report[f"{name}_rps"] = figures["rps"]
        report[f"{name}_p50_ms"] = figures["p50_ms"]
        report[f"{name}_p99_ms"] = figures["p99_ms"]
        report[f"{name}_errors"] = figures["errors"]
        report[f"{name}_server_cpu_ms"] = figures["server_cpu_ms"]
        report[f"{name}_client_cpu_ms"] = figures["client_cpu_ms"]
        if figures["error_kinds"]:
            report[f"{name}_error_kinds"] = figures["error_kinds"]
    report.update(
        {
            "startup_s": round(startup_s, 2),
            "demo_load_s": round(demo_s, 2),
            "rss_mb": rss_now,
            "rss_idle_mb": rss_idle,
            "rss_peak_mb": rss_peak,
            "requests_per_endpoint": args.requests,
            "ask_distinct_questions": len(asked),
            "concurrency": args.concurrency,
            "cpus": os.cpu_count(),
        }
    )
    if args.json:
        print(json.dumps(report))
        return
    print(f"server startup (process start -> /health 200): {report['startup_s']} s")
    print(
        f"demo load: {report['demo_load_s']} s; "
        f"{args.requests} requests per endpoint from {args.concurrency} clients"
    )
    columns = ("rps", "p50_ms", "p99_ms", "errors", "server_cpu_ms", "client_cpu_ms")
    print(f"{'endpoint':<10}" + "".join(f"{c:>15}" for c in columns))
    for name, figures in results.items():
        print(f"{name:<10}" + "".join(f"{figures[c]:>15}" for c in columns))
    print(f"server memory: {rss_now} MB resident ({rss_idle} MB idle, {rss_peak} MB peak)")


if __name__ == "__main__":
    main()
