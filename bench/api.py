"""HTTP API benchmark: the real server over loopback, 16 concurrent clients, offline mode.

Usage: python bench/api.py [--json] [--requests 800] [--concurrency 16]
Loads the demo program into a temporary data folder (``python -m assistant demo``), starts
``python -m assistant serve`` on a free port, measures the time until ``GET /health`` answers 200,
then sends a fixed number of requests to POST /v1/ask, /v1/topics and /v1/chat from concurrent
clients and reports requests/s and p50/p99 latency per endpoint, plus the server's resident memory.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
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


def wait_for_health(base: str, server: subprocess.Popen[bytes], start: float, timeout: float) -> float:
    """Seconds from ``start`` until GET /health answered 200."""
    with httpx.Client(base_url=base, timeout=5.0) as client:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with status {server.returncode} before it was healthy")
            try:
                if client.get("/health").status_code == 200:
                    return time.perf_counter() - start
            except httpx.TransportError:
                pass
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"the server was not healthy after {timeout:.0f} s")
            time.sleep(0.02)


def drive(
    client: httpx.Client,
    path: str,
    token: str,
    body: Callable[[int], dict[str, Any]],
    total: int,
    workers: int,
) -> dict[str, Any]:
    """Send ``total`` POSTs from ``workers`` concurrent clients; requests/s, latency and errors."""
    counter = itertools.count()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}"}

    def worker() -> None:
        while (i := next(counter)) < total:
            payload = body(i)
            begin = time.perf_counter()
            try:
                response = client.post(path, json=payload, headers=headers)
                status = str(response.status_code) if response.status_code != 200 else ""
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - begin
            with lock:
                latencies.append(elapsed)
                if status:
                    errors.append(status)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [pool.submit(worker) for _ in range(workers)]:
            future.result()
    wall = time.perf_counter() - start
    return {
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": percentile_ms(latencies, 50),
        "p99_ms": percentile_ms(latencies, 99),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


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
        base = f"http://127.0.0.1:{port}"
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
                startup_s = wait_for_health(base, server, start, args.startup_timeout)
                rss_idle, _ = rss_mb(server.pid)
                limits = httpx.Limits(
                    max_connections=args.concurrency, max_keepalive_connections=args.concurrency
                )
                results: dict[str, dict[str, Any]] = {}
                with httpx.Client(base_url=base, timeout=120.0, limits=limits) as client:
                    for name, (path, token, body) in endpoints.items():
                        drive(client, path, token, body, args.warmup, args.concurrency)
                        results[name] = drive(client, path, token, body, args.requests, args.concurrency)
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
    print(f"{'endpoint':<10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, figures in results.items():
        print(
            f"{name:<10}{figures['rps']:>10}{figures['p50_ms']:>10}{figures['p99_ms']:>10}{figures['errors']:>8}"
        )
    print(f"server memory: {rss_now} MB resident ({rss_idle} MB idle, {rss_peak} MB peak)")


if __name__ == "__main__":
    main()
