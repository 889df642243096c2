"""A scripted ``partnerbot chat`` session end to end: the chat client process against a bot server process.

Both run as separate processes on loopback, exactly as a person would use them: the real host app
(real ``CloudAdapter``, HTTP edge, Teams handler and SQLite) with the host's test conversation
layer, and ``partnerbot serve`` itself with the real conversation layer. Where a test needs several
transcripts from one server, the first comes from the command's own process and the others from the
same client code in this process (each process start costs seconds of CPU on a 2-core machine).
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.chatclient.session import chat as chat_session
from bot.cli import main
from tests.support.process import ROOT, ServerProcess, free_port

pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "examples"
PARTNERBOT = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
"""The ``partnerbot`` console script, without depending on where it was installed."""


class PartnerbotServe(ServerProcess):
    """``partnerbot serve`` itself, in its own process."""

    def command(self) -> list[str]:
        return [*PARTNERBOT, "serve", "--port", str(self.port), "--data-dir", str(self.data_dir)]


def partnerbot(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PARTNERBOT_", "MICROSOFTAPP"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([*PARTNERBOT, *args], capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=ROOT)


async def chat(server: ServerProcess, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(partnerbot, "chat", "--url", server.url, "--script", str(script), *args)


async def chat_here(server: ServerProcess, script: Path, *, tenant: str, locale: str = "en-US",
                    welcome: bool = True) -> subprocess.CompletedProcess[str]:
    """The same scripted chat as ``partnerbot chat --script``, run by the client code in this process."""
    out, err = io.StringIO(), io.StringIO()
    status = await asyncio.to_thread(
        chat_session, server.url, locale=locale, tenant=tenant,
        lang="nl" if locale.startswith("nl") else "en", script=script, welcome=welcome, timeout=60,
        out=out, err=err)
    return subprocess.CompletedProcess(["partnerbot", "chat"], status, out.getvalue(), err.getvalue())


@pytest.fixture
async def double_server(tmp_path: Path):
    server = ServerProcess(tmp_path / "data", double=True)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_scripted_chat_with_the_host_server_process(
    double_server: ServerProcess, tmp_path: Path
) -> None:
    script = tmp_path / "session.txt"
    script.write_text("# a tenant stores data and reads it back\nhello\nsave profile Contoso\nprofile?\n"
                      "boom\nhello again\n", encoding="utf-8")
    result = await chat(double_server, script, "--tenant", "contoso-e2e")
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "< bot: welcome tenant=contoso-e2e"
    assert lines[1:6] == ["> you: hello", "< bot: echo: hello #1 tenant=contoso-e2e",
                          "> you: save profile Contoso", "< bot: saved: Contoso", "> you: profile?"]
    assert lines[6] == "< bot: profile: Contoso"
    # a failing turn: the host answers neutrally, the chat goes on, nothing developer-facing shows
    assert lines[7] == "> you: boom"
    assert "Traceback" not in result.stdout and "on purpose" not in result.stdout
    assert lines[-2] == "> you: hello again"
    assert lines[-1].startswith("< bot: echo: hello again #") and lines[-1].endswith("tenant=contoso-e2e")

    script.write_text("profile?\n", encoding="utf-8")
    other = await chat_here(double_server, script, tenant="someone-else", welcome=False)
    assert other.stdout.splitlines() == ["> you: profile?", "< bot: profile: none"]  # another tenant's data


async def test_scripted_chat_when_no_bot_listens(tmp_path: Path) -> None:
    nobody = ServerProcess(tmp_path / "data")  # not started: nothing listens on its port
    nobody.port = free_port()
    url = nobody.url
    script = tmp_path / "session.txt"
    script.write_text("hello\n", encoding="utf-8")
    result = await chat(nobody, script, "--locale", "nl-NL")
    assert result.returncode == 1
    assert result.stderr == f"kan de bot op {url} niet bereiken — draait `partnerbot serve`?\n"
    assert result.stdout == ""


def block(lines: list[str], said: str) -> list[str]:
    """The bot's reply to ``said``, as stripped lines (without the ``< bot:`` prefix)."""
    start = lines.index(said) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("> ")), len(lines))
    return [line.removeprefix("< bot: ").strip() for line in lines[start:end]]


async def test_scripted_chat_with_partnerbot_serve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    profile = str(EXAMPLES / "profile-contoso.yaml")
    # in a thread: the commands run their own event loop, as in their process
    imported = ["import", profile, "--tenant", "contoso", "--data-dir", str(data)]
    assert await asyncio.to_thread(main, imported) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["score", profile, "--json"]) == 0
    score = json.loads(capsys.readouterr().out)
    server = PartnerbotServe(data)
    await server.start()
    try:
        result = await chat(server, EXAMPLES / "chat-score.txt", "--tenant", "contoso")
        dutch = await chat_here(server, EXAMPLES / "chat-nl.txt", tenant="contoso", locale="nl-NL")
        entered = await chat_here(server, EXAMPLES / "chat-enter-data.txt", tenant="new-partner")
        walkthrough = await chat_here(server, EXAMPLES / "chat-cosell.txt", tenant="contoso")
    finally:
        await server.stop()
    assert (result.returncode, result.stderr) == (0, ""), result.stderr + server.output()
    transcript = result.stdout
    assert transcript.startswith("< bot: ")  # the welcome
    assert "> you: help" in transcript
    assert f"{score['total']:.2f}" in transcript  # the scorecard's total, 51.61 in English
    assert "[1]" in transcript  # cards come with numbered buttons
    assert "Traceback" not in transcript
    assert (dutch.returncode, dutch.stderr) == (0, ""), dutch.stderr
    assert f"{score['total']:.2f}".replace(".", ",") in dutch.stdout  # 51,61 in Dutch
    assert "> jij: " in dutch.stdout

    # the data dialog through typed answers and a clicked Confirm: the same numbers as the sample
    # profile give the same score
    assert (entered.returncode, entered.stderr) == (0, ""), entered.stderr
    lines = entered.stdout.splitlines()
    asked, again = block(lines, "> you: 7"), block(lines, "> you: a lot")
    # the same question again, after one line saying why "a lot" is refused; the note about the
    # previous answer ("Saved: Net customer adds = 7.") comes only right after that save
    assert asked[0] == "Saved: Net customer adds = 7."
    assert again[1:] == asked[1:]
    confirmed = lines.index("> you: [1] Confirm")
    assert f"{score['total']:.2f}" in "\n".join(lines[confirmed:])
    # the co-sell walkthrough with buttons clicked by title, ending with the checklist
    assert (walkthrough.returncode, walkthrough.stderr) == (0, ""), walkthrough.stderr
    lines = walkthrough.stdout.splitlines()
    assert "> you: [5] Software as a service (SaaS)" in lines
    checklist = "\n".join(lines[lines.index("> you: [4] Stop and show checklist"):])
    assert "Contoso Insights" in checklist and "✓" in checklist and "✗" in checklist
