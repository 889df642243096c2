"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` package, a cluster made with
``initdb`` in a temporary folder, listening only on a Unix socket in that folder, stopped and
removed at the end of the test session.

This module installs nothing: ``python3 dev.py test`` (and so ``.ci/run``) installs the package
when it is missing. Without it, every test that needs the server fails with a message saying so;
none is skipped.

Fixtures (``pytest_plugins = ["tests.support.postgres"]``):

- ``postgres_server``: the session's :class:`PostgresServer`, started on first use;
- ``postgres_url``: a new, empty database on it for one test (``postgresql://…``), dropped after.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

INSTALL_HINT = (
    "PostgreSQL is needed for the PostgreSQL storage tests and was not found (no initdb/postgres "
    "in /usr/lib/postgresql/*/bin or on PATH). Install Debian's package: 'apt-get install -y "
    "postgresql' (python3 dev.py test does so by itself when it runs as root)."
)
SUPERUSER = "partnerbot"


class PostgresUnavailable(RuntimeError):
    """The server cannot be started here (the message says why and what to do)."""


def find_bindir() -> Path | None:
    """The folder with ``initdb`` and ``postgres``: Debian's newest version, else PATH."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "postgres").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("postgres"):
        return Path(initdb).resolve().parent
    return None


def _version(path: str) -> tuple[int, ...]:
    part = Path(path).parent.name
    return tuple(int(p) for p in part.split(".") if p.isdigit())


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder, for this test session only."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._user: str | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.folder is not None, "the server is not started"
        return self.folder

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def start(self, timeout: float = 60.0) -> PostgresServer:
        bindir = find_bindir()
        if bindir is None:
            raise PostgresUnavailable(INSTALL_HINT)
        # PostgreSQL refuses to run as root: as root (CI), the cluster belongs to the package's
        # 'postgres' system user.
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, but there is no 'postgres' user to run PostgreSQL as; " + INSTALL_HINT
                ) from None
            self._user = "postgres"
        self.folder = Path(tempfile.mkdtemp(prefix="pbpg-"))  # short: socket paths are limited
        if self._user:
            shutil.chown(self.folder, user=self._user)
        data = self.folder / "data"
        log = self.folder / "server.log"
        initdb = subprocess.run(
            [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--no-locale", "--no-sync"],
            user=self._user, capture_output=True, text=True, check=False, cwd=self.folder,
        )  # fmt: skip
        if initdb.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}")
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(bindir / "postgres"), "-D", str(data), "-k", str(self.folder), "-c", "listen_addresses=",
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=300", "-c", "shared_buffers=32MB"],
                user=self._user, stdout=out, stderr=subprocess.STDOUT, cwd=self.folder,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        socket = self.folder / ".s.PGSQL.5432"
        while not socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = log.read_text(errors="replace")
                self.stop()
                raise PostgresUnavailable(f"the PostgreSQL server did not start:\n{output}")
            time.sleep(0.05)
        time.sleep(0.2)  # the socket appears just before the server accepts connections
        return self

    def stop(self) -> None:
        if self.process is not None:
            process, self.process = self.process, None
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # fast shutdown
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    async def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = "t_" + uuid.uuid4().hex[:16]
        conn = await _connect(self.url())
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)

    async def drop_database(self, url: str) -> None:
        name = url.split("/")[-1].split("?")[0]
        conn = await _connect(self.url())
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def _connect(url: str) -> asyncpg.Connection:
    for attempt in range(50):
        try:
            return await asyncpg.connect(url, timeout=10)
        except (OSError, asyncpg.CannotConnectNowError):
            if attempt == 49:
                raise
            await asyncio.sleep(0.1)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as err:
        pytest.fail(str(err), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def postgres_url(postgres_server: PostgresServer) -> AsyncIterator[str]:
    url = await postgres_server.create_database()
    yield url
    with contextlib.suppress(Exception):
        await postgres_server.drop_database(url)
