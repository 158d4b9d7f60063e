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
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from assistant.embeddings import get_embedder
from assistant.index import COLLECTIONS, VectorIndex, collection_name, make_client
from assistant.settings import REPO_ROOT, Settings
from assistant.store import Base, IndexState, engine_for

KNOWLEDGE = REPO_ROOT / "knowledge"


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
    with (
        tempfile.TemporaryDirectory(prefix="assistant-pg-") as folder,
        postgres_cluster(Path(folder), keep=False) as url,
    ):
        yield url


@contextmanager
def postgres_cluster(folder: Path, keep: bool = True) -> Iterator[str]:
    """A PostgreSQL cluster in ``folder`` (made on first use, started again later); yields its URL.

    A kept cluster is shut down cleanly; a throwaway one is stopped at once.
    """
    as_owner: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_owner = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data, port = folder / "data", free_port()
    quiet: dict[str, Any] = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if not data.exists():
        initdb = [_postgres_bin("initdb"), "-D", str(data), "-U", "assistant", "-A", "trust"]
        subprocess.run([*as_owner, *initdb], **quiet)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [*as_owner, _postgres_bin("pg_ctl"), "-D", str(data), "-l", str(folder / "log")]
    subprocess.run([*pg_ctl, "-o", options, "-w", "start"], **quiet)
    try:
        yield f"postgresql+psycopg://assistant@127.0.0.1:{port}/postgres"
    finally:
        stop = ["-m", "fast", "-w", "stop"] if keep else ["-m", "immediate", "stop"]
        subprocess.run([*pg_ctl, *stop], **quiet)


def fresh_database(server_url: str, template: str | None = None) -> str:
    """A new database on the server, empty or a copy of ``template``; returns its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _administer(server_url, f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return _database_url(server_url, name)


def _database_url(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _administer(server_url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE DATABASE and friends), on a connection of their own."""
    engine = sqlalchemy.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(sqlalchemy.text(statement))
    finally:
        engine.dispose()


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


# One PostgreSQL cluster and one Chroma server per test session ----------------------------

_SERVER_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


@sqlalchemy.event.listens_for(Engine, "engine_connect")
def _remember_server_engines(connection: Connection) -> None:
    if connection.engine.dialect.name == "postgresql":
        _SERVER_ENGINES.add(connection.engine)


def close_server_connections() -> None:
    """Close the pooled connections of every PostgreSQL engine in this process.

    The store keeps a few engines (``engine_for``) and lets the oldest go without closing
    them; psycopg warns about every open connection collected that way. Closed after each
    test, an engine that is let go holds none, and a database can be copied or dropped.
    """
    for engine in list(_SERVER_ENGINES):
        engine.dispose()


@dataclass(frozen=True)
class Template:
    """A store frozen as a PostgreSQL template database, with its vectors read once.

    ``collections`` holds each Chroma collection of the store's generation (ids, documents,
    metadatas, embeddings); ``generation`` is None for a store that has none yet.
    """

    database: str
    generation: str | None = None
    collections: dict[str, dict[str, Any]] = field(default_factory=dict)


class Servers:
    """A PostgreSQL cluster and a ``chroma run`` server that many stores share.

    A store is copied from a template without embedding anything: PostgreSQL copies the
    database (``CREATE DATABASE … TEMPLATE``) and the template's vectors are added to Chroma
    under a new generation of collections, which the copy's ``index_state`` row then names.
    """

    def __init__(self, postgres: str, chroma: str, folder: Path) -> None:
        self.postgres = postgres
        self.chroma = chroma
        self.folder = folder  # a data folder for the copier's own settings (nothing is written there)
        self.client = make_client(self.settings(folder, postgres))
        self.empty = self.freeze(fresh_database(postgres))

    def settings(self, home: Path, database_url: str) -> Settings:
        """Settings for a data folder whose store and index live on these servers."""
        return Settings(home=home, knowledge_dir=KNOWLEDGE, database_url=database_url, chroma_url=self.chroma)

    def freeze(self, url: str) -> Template:
        """Make a store a template (copy it, never open it again): its vectors are read now."""
        generation = self._generation(url)
        collections: dict[str, dict[str, Any]] = {}
        if generation is not None:
            index = self._index(url)
            for name in COLLECTIONS:
                collections[name] = index.collection(name, generation).get(
                    include=["documents", "metadatas", "embeddings"]
                )
        engine_for(url)  # its schema is the newest (a database the store never opened gets it here)
        close_server_connections()
        name = _database_name(url)
        _administer(self.postgres, f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        return Template(name, generation, collections)

    def copy(self, template: Template | None = None) -> str:
        """A new store copied from ``template`` (default: an empty one); returns its URL."""
        url = fresh_database(self.postgres, (template or self.empty).database)
        self._copy_vectors(template, url)
        return url

    def load(self, source: Settings) -> str:
        """A new store on the servers holding an embedded store's rows and vectors (none embedded again).

        ``source`` is a data folder the caller may open (a copy of a template, not the template).
        """
        url = self.copy()
        origin = sqlalchemy.create_engine(source.sqlalchemy_url, poolclass=NullPool)
        target = sqlalchemy.create_engine(url, poolclass=NullPool)
        try:
            with origin.connect() as reading, target.begin() as writing:
                for table in Base.metadata.sorted_tables:
                    rows = [dict(row) for row in reading.execute(sqlalchemy.select(table)).mappings()]
                    if rows:
                        writing.execute(table.insert(), rows)
                    numbered = table.autoincrement_column
                    if rows and numbered is not None:  # the store's next row must not reuse a copied number
                        writing.execute(
                            sqlalchemy.text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{numbered.name}'), "
                                f"(SELECT max({numbered.name}) FROM {table.name}))"
                            )
                        )
        finally:
            origin.dispose()
            target.dispose()
        embedded = VectorIndex(source, get_embedder(source))
        generation = embedded.state(fresh=True).generation
        collections = {
            name: embedded.collection(name, generation).get(include=["documents", "metadatas", "embeddings"])
            for name in COLLECTIONS
        }
        engine_for(source.sqlalchemy_url).dispose()
        self._copy_vectors(Template("", generation, collections), url)
        return url

    def refill(self, url: str, template: Template) -> None:
        """Replace the store at ``url`` by a copy of ``template`` (nothing may have it open)."""
        self.discard(url)
        name = _database_name(url)
        _administer(self.postgres, f"CREATE DATABASE {name} TEMPLATE {template.database}")
        self._copy_vectors(template, url)

    def discard(self, url: str) -> None:
        """Drop a store: its database and the collections its generations name."""
        close_server_connections()
        state = self._state(url)
        for generation in {state.get("generation"), state.get("building")} - {None, ""}:
            for name in COLLECTIONS:
                try:
                    self.client.delete_collection(collection_name(name, str(generation)))
                except Exception:  # noqa: BLE001 - a collection never made (or dropped by a rebuild) is fine
                    continue
        _administer(self.postgres, f"DROP DATABASE IF EXISTS {_database_name(url)} WITH (FORCE)")

    def _copy_vectors(self, template: Template | None, url: str) -> None:
        if template is None or template.generation is None:
            return
        generation = uuid.uuid4().hex[:8]
        index = self._index(url)
        for name, got in template.collections.items():
            index.add(name, got["ids"], got["documents"], got["metadatas"], got["embeddings"], generation)
        engine = sqlalchemy.create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as connection:
                named = sqlalchemy.update(IndexState).where(IndexState.key == "generation")
                connection.execute(named.values(value=generation))
        finally:
            engine.dispose()

    def _index(self, url: str) -> VectorIndex:
        settings = self.settings(self.folder, url)
        return VectorIndex(settings, get_embedder(settings))

    def _state(self, url: str) -> dict[str, str]:
        engine = sqlalchemy.create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return dict(connection.execute(sqlalchemy.select(IndexState.key, IndexState.value)).all())
        except SQLAlchemyError:  # no database, or no table yet: no collections either
            return {}
        finally:
            engine.dispose()

    def _generation(self, url: str) -> str | None:
        return self._state(url).get("generation")


@contextmanager
def session_servers(base: Path) -> Iterator[Servers]:
    """A PostgreSQL cluster and a Chroma server for a test session, closed cleanly at its end."""
    with postgres_server() as postgres, chroma_server(base) as chroma:
        try:
            yield Servers(postgres, chroma, base)
        finally:
            close_server_connections()
            close_chroma_clients()
