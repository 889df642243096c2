"""The bot server in its own process (:class:`ServerProcess`) on a free loopback port, for restart and
start-up tests, and :class:`RemoteBot` to talk to it the way :class:`~tests.support.harness.BotHarness`
talks to an in-process app."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import aiohttp

from tests.support.connector import FakeConnector, Reply, Turn, conversation_id, teams_activity

ROOT = Path(__file__).resolve().parents[2]

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """The bot server in its own process on a free loopback port (stop and start it to restart).

    ``double=False`` runs the real ``partnerbot serve``; ``double=True`` runs the same app with the
    :mod:`tests.support.doubles` conversation layer (``python -m tests.support.serve_double``).
    """

    def __init__(self, data_dir: Path, *, double: bool = False, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.double = double
        self.port = free_port()
        self.env = {**clean_environment(), "PARTNERBOT_HOST": "127.0.0.1", **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"server-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def command(self) -> list[str]:
        options = ["--port", str(self.port), "--data-dir", str(self.data_dir)]
        if self.double:
            return [sys.executable, "-m", "tests.support.serve_double", *options]
        return [*partnerbot_command(), "serve", *options]

    async def start(self, timeout: float = 60.0) -> ServerProcess:
        """Start the server and wait for ``/healthz``. A port taken meanwhile is no test failure: the
        free port was found by binding and closing, and until the server binds it, another process
        on this machine (a client socket of a parallel test run) may get it; then a new one is used."""
        for _ in range(4):
            written = self.log_path.stat().st_size if self.log_path.exists() else 0
            try:
                return await self._start(timeout)
            except RuntimeError:
                if "already in use" not in self.output()[written:]:
                    raise
                self.port = free_port()
        return await self._start(timeout)

    async def _start(self, timeout: float) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # runs in a scratch folder so no project .env is read
            self.command(), cwd=self.data_dir.parent, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.output()}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        if response.status == 200:
                            return self
                await asyncio.sleep(0.1)
        await self.stop()
        raise RuntimeError(f"the server did not answer /healthz within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def stop(self, timeout: float = 10.0) -> int | None:
        """Stop the server the way an operator would (SIGINT → graceful shutdown)."""
        if self.process is None:
            return None
        process, self.process = self.process, None
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.to_thread(process.wait, timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait, timeout)
        return process.returncode


def partnerbot_command() -> list[str]:
    """The installed ``partnerbot`` console script (or the same entry point through this Python)."""
    script = Path(sys.executable).parent / "partnerbot"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]


def clean_environment() -> dict[str, str]:
    """This environment without partnerbot's or the Bot Framework's settings."""
    return {
        k: v for k, v in os.environ.items() if not k.upper().startswith(("PARTNERBOT_", "MICROSOFTAPP"))
    } | {"PYTHONPATH": str(ROOT)}


class RemoteBot:
    """Talk to a :class:`ServerProcess` the way :class:`BotHarness` talks to an in-process app."""

    def __init__(self, server: ServerProcess, connector: FakeConnector) -> None:
        self.server = server
        self.connector = connector

    def activity(self, type: str = "message", **kwargs: Any) -> dict[str, Any]:
        return teams_activity(self.connector.service_url, type, **kwargs)

    async def send(self, activity: Mapping[str, Any]) -> Turn:
        since = len(self.connector.posted)
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.server.url, json=dict(activity)) as response,
        ):
            status, text = response.status, await response.text()
        return Turn(
            status,
            text,
            self.connector.replies(conversation_id(activity), since=since, reply_to=activity.get("id")),
        )

    async def say(self, text: str, **kwargs: Any) -> list[Reply]:
        turn = await self.send(self.activity(text=text, **kwargs))
        assert turn.status in (200, 201), f"the bot answered HTTP {turn.status}: {turn.body}"
        return turn.replies
