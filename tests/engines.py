"""Real PostgreSQL and Chroma servers for the scale-out tests, started and stopped by the tests.

PostgreSQL comes from the machine's server binaries (Debian's ``postgresql`` package, which
``.ci/run`` installs when missing); the Chroma server is ``chroma run`` from the chromadb package.
Both listen on free loopback ports and keep their data in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))), None)
    if found is None:
        raise RuntimeError(f"PostgreSQL's {name} is missing: install the postgresql package.")
    return str(found)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields the URL of its ``postgres`` database."""
    with tempfile.TemporaryDirectory(prefix="assistant-pg-") as folder:
        base = Path(folder)
        as_owner: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            as_owner = ["runuser", "-u", "postgres", "--"]
            shutil.chown(base, "postgres")
        with _cluster(base, as_owner) as url:
            yield url


@contextmanager
def _cluster(base: Path, as_owner: list[str]) -> Iterator[str]:
    data, port = base / "data", free_port()
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(
        [*as_owner, _postgres_bin("initdb"), "-D", str(data), "-U", "assistant", "-A", "trust"], **quiet
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [*as_owner, _postgres_bin("pg_ctl"), "-D", str(data), "-l", str(base / "log")]
    subprocess.run([*pg_ctl, "-o", options, "-w", "start"], **quiet)
    try:
        yield f"postgresql+psycopg://assistant@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], **quiet)


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server; returns its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def running(
    command: list[str], ready: str, log: Path, timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[None]:
    """Run a server process for the block; enter once a GET of ``ready`` succeeds.

    ``env`` adds to (or overrides) this process's environment for the server.
    """
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(ready, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{Path(command[0]).name} did not start:\n{tail}") from None
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:  # still busy with a request its client gave up on
            process.kill()
            process.wait(timeout=30)


@contextmanager
def chroma_server(base: Path) -> Iterator[str]:
    """``chroma run`` on a free port; yields its URL once it answers its heartbeat."""
    port = free_port()
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    command = [chroma, "run", "--path", str(base / "chroma"), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/api/v2/heartbeat", base / "chroma.log"):
        yield url


def close_chroma_clients() -> None:
    """Close the HTTP connection pools of every Chroma client in this process.

    chromadb's ``close()`` leaves them open, including one of an admin client it makes inside
    ``HttpClient()``; left to the garbage collector they surface as ResourceWarnings.
    """
    from chromadb.api.fastapi import FastAPI
    from chromadb.api.shared_system_client import SharedSystemClient

    for system in list(SharedSystemClient._identifier_to_system.values()):
        for component in list(system._instances.values()):
            if isinstance(component, FastAPI):
                component._session.close()
