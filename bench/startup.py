"""Command-line start-up: wall time and peak memory of one-shot commands, next to simonw/llm.

Usage: python bench/startup.py [--json] [--runs 7] [--home DIR]

Runs each command ``--runs`` times in a fresh process (after one unmeasured run that warms the
page cache and writes bytecode) and reports the median and best wall time, from process start to
exit, the median CPU time (user + system: what the command costs, whatever else the machine is
doing) and the peak resident memory of the process. ``ask`` answers offline from a data folder
with the demo program: ``--home`` (or ``ASSISTANT_BENCH_HOME``) names one, otherwise one is built
in a temporary folder first (``python -m assistant demo``, about a minute).

For comparison it times the interpreter alone and, when it is installed (the ``bench`` extra, or
``pip install llm`` alone), simonw/llm: ``llm --help`` and ``llm models list``, a one-shot command that loads
its plugins. It also lists the heavy libraries ``--help`` imports; there should be none.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How often should pairs meet?"
# Libraries a command imports only when it does its work; `--help` needs none of them.
HEAVY = (
    "chromadb",
    "langchain_core",
    "langchain_openai",
    "onnxruntime",
    "tokenizers",
    "scipy",
    "bm25s",
    "sqlalchemy",
    "numpy",
    "pydantic",
    "pydantic_settings",
    "jinja2",
    "uvicorn",
    "fastapi",
)


@dataclass(frozen=True)
class Case:
    """One command to time, and the wall time it should stay under (if any)."""

    name: str
    argv: list[str]
    target_s: float | None = None


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident MB of one run; a failed run raises with its output."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(argv)} exited with status {process.returncode}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def measure(case: Case, env: dict[str, str], runs: int) -> dict[str, Any]:
    """Median and best wall time and peak memory over ``runs`` runs, after one warm-up run."""
    run_once(case.argv, env)
    walls, cpus, peaks = zip(*(run_once(case.argv, env) for _ in range(runs)))
    median = statistics.median(walls)
    return {
        "median_s": round(median, 3),
        "best_s": round(min(walls), 3),
        "cpu_s": round(statistics.median(cpus), 3),
        "peak_rss_mb": round(max(peaks), 1),
        "target_s": case.target_s,
        "within_target": None if case.target_s is None else median <= case.target_s,
    }


def heavy_imports(argv: list[str], env: dict[str, str]) -> list[str]:
    """Which of the heavy libraries a command imports (from ``python -X importtime``)."""
    found = subprocess.run(
        [sys.executable, "-X", "importtime", *argv[1:]],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.rpartition("|")[2].strip() for line in found.stderr.splitlines()}
    return [name for name in HEAVY if name in names]


def build_demo(home: Path, env: dict[str, str]) -> float:
    """Load the demo program into ``home``; the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant", "demo"],
        cwd=REPO_ROOT,
        env={**env, "ASSISTANT_HOME": str(home)},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def llm_command() -> str | None:
    """The ``llm`` executable next to this interpreter, or on the PATH."""
    beside = Path(sys.executable).parent / "llm"
    return str(beside) if beside.exists() else shutil.which("llm")


def cases(llm: str | None) -> list[Case]:
    """The commands to time."""
    python = sys.executable
    found = [
        Case("python -c pass", [python, "-c", "pass"]),
        Case("assistant --help", [python, "-m", "assistant", "--help"], 0.5),
        Case("assistant ask --help", [python, "-m", "assistant", "ask", "--help"], 0.5),
        Case("assistant ask (offline)", [python, "-m", "assistant", "ask", QUESTION], 1.5),
    ]
    if llm is not None:
        found += [Case("llm --help", [llm, "--help"]), Case("llm models list", [llm, "models", "list"])]
    return found


def main() -> None:
    """Time every command and print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per command")
    parser.add_argument(
        "--home",
        type=Path,
        default=os.environ.get("ASSISTANT_BENCH_HOME"),
        help="a data folder with the demo loaded (default: build one in a temporary folder)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(
            ASSISTANT_KNOWLEDGE_DIR=str(REPO_ROOT / "knowledge"),
            ASSISTANT_LLM="offline",
            LLM_USER_PATH=str(Path(scratch) / "llm"),  # llm keeps its keys and logs here
        )
        home = args.home
        demo_s = None
        if home is None:
            home = Path(scratch) / "home"
            demo_s = round(build_demo(home, env), 1)
        env["ASSISTANT_HOME"] = str(Path(home).resolve())
        llm = llm_command()
        results = {case.name: measure(case, env, args.runs) for case in cases(llm)}
        loaded = heavy_imports([sys.executable, "-m", "assistant", "--help"], env)

    report: dict[str, Any] = {
        "commands": results,
        "help_imports_heavy": loaded,
        "runs": args.runs,
        "demo_load_s": demo_s,
        "llm_installed": llm is not None,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    if args.json:
        print(json.dumps(report))
        return
    columns = ("median_s", "best_s", "cpu_s", "peak_rss_mb", "target_s")
    print(f"{'command':<26}" + "".join(f"{c:>12}" for c in columns) + "  within")
    for name, figures in results.items():
        cells = "".join(f"{'-' if figures[c] is None else figures[c]:>12}" for c in columns)
        verdict = {None: "", True: "  yes", False: "  NO"}[figures["within_target"]]
        print(f"{name:<26}{cells}{verdict}")
    print(
        f"\n{args.runs} runs each after one warm-up; cpu_s is user + system time (less sensitive to "
        f"other processes than wall time); load average {report['load_average_1m']}."
    )
    print(f"Heavy libraries `--help` imports: {', '.join(loaded) or 'none'}.")
    if llm is None:
        print("simonw/llm is not installed: pip install llm (or the bench extra) to compare with it.")
    if demo_s is not None:
        print(f"Demo data folder built in {demo_s} s.")


if __name__ == "__main__":
    main()
