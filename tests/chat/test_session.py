"""`partnerbot chat`: scripted transcripts, the interactive loop, and clear one-line errors."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from bot.chatclient.protocol import ChatClient
from bot.chatclient.session import chat, run_interactive, script_lines, wrap
from bot.cli import main
from tests.chat.echobot import echo_app, serve_in_thread
from tests.support.harness import BotHarness


@pytest.fixture(scope="module")
def bot_url() -> Iterator[str]:
    with serve_in_thread(echo_app) as url:
        yield url


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["chat", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_script_lines_skip_blanks_and_comments() -> None:
    assert script_lines("# a script\n\nhello\n   # indented comment\n  [2]  \nNo\n") == ["hello", "[2]", "No"]


def test_scripted_session_prints_the_transcript(tmp_path: Path, bot_url: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "s.txt"
    script.write_text("# try the buttons\nhello\ncard\n[2]\n\nyes\nPartner Center\n[9]\n2\n/quit\n"
                      "never sent\n", encoding="utf-8")
    status, out, err = run_cli(capsys, "--url", bot_url, "--script", str(script))
    assert (status, err) == (0, "")
    reply = "value: {{\"text\": \"{}\", \"verb\": \"answer\"}} text: ''"
    lines = out.splitlines()
    assert lines[:8] == [
        "< bot: welcome Partner admin",
        "> you: hello",
        "< bot: echo: hello",
        "> you: card",
        "< bot: Is the offer live?",
        "       [1] Yes  [2] No  [3] Partner Center",
        "> you: [2] No",
        lines[7],
    ]
    assert lines[7].startswith("< bot: " + reply.format("no"))
    assert lines[8:] == [
        "> you: [1] Yes",
        lines[9],
        "> you: [3] Partner Center",
        "Open in your browser: https://partner.microsoft.com/dashboard",
        "> you: [9]",
        "There is no button 9; the last card has 3.",
        "> you: 2",  # in a script a bare number is text: [n] clicks
        "< bot: echo: 2",
    ]
    assert lines[9].startswith("< bot: " + reply.format("yes"))
    assert "never sent" not in out


def test_dutch_transcript_and_no_welcome(tmp_path: Path, bot_url: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "s.txt"
    script.write_text("whoami\n", encoding="utf-8")
    status, out, _ = run_cli(capsys, "--url", bot_url, "--script", str(script), "--locale", "nl-NL",
                             "--tenant", "t-1", "--no-welcome")
    assert status == 0
    assert out.splitlines() == [
        "> jij: whoami",
        "< bot: channel msteams locale nl-NL tenant t-1 conversation-tenant None from 29:partnerbot-chat-t-1"]


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/api/messages"


@pytest.mark.parametrize(("locale", "message"), [
    ("en-US", "cannot reach the bot at {url} — is `partnerbot serve` running?"),
    ("nl-NL", "kan de bot op {url} niet bereiken — draait `partnerbot serve`?"),
])
def test_unreachable_bot_one_line_in_the_locale(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                locale: str, message: str) -> None:
    url = closed_port_url()
    script = tmp_path / "s.txt"
    script.write_text("hello\n", encoding="utf-8")
    status, out, err = run_cli(capsys, "--url", url, "--locale", locale, "--script", str(script))
    assert status == 1
    assert err == message.format(url=url) + "\n"
    assert out == ""


def test_unreachable_bot_in_interactive_mode(capsys: pytest.CaptureFixture[str]) -> None:
    url = closed_port_url()
    out, err = io.StringIO(), io.StringIO()

    def never(prompt: str) -> str:
        raise AssertionError("no prompt when the bot cannot be reached")

    assert run_interactive(ChatClient(url), "en", out, err, read=never) == 1
    assert err.getvalue() == f"cannot reach the bot at {url} — is `partnerbot serve` running?\n"


def test_missing_script_and_bad_url_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(capsys, "--script", str(tmp_path / "missing.txt"))
    assert status == 2 and "missing.txt" in err and "Traceback" not in err
    status, _, err = run_cli(capsys, "--url", "localhost:3978", "--locale", "nl-NL")
    assert status == 2
    assert err == ("'localhost:3978' is geen adres van een bot; gebruik iets als "
                   "http://localhost:3978/api/messages\n")


def test_interactive_loop_numbers_click_and_commands(bot_url: str) -> None:
    typed = iter(["/help", "card", "2", "[3]", "card", "'2", "hello", "5", "/quit", "not reached"])
    prompts: list[str] = []

    def read(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    out, err = io.StringIO(), io.StringIO()
    assert run_interactive(ChatClient(bot_url), "en", out, err, read=read) == 0
    text = out.getvalue()
    assert err.getvalue() == ""
    assert prompts == ["> you: "] * 9
    assert "[2] No" in text and "/quit" in text  # the card, and the help text
    assert "value: {\"text\": \"no\", \"verb\": \"answer\"}" in text  # bare 2 clicked No
    assert "→ [2] No   (to send 2 as text instead, type '2)" in text  # and said so
    assert "→ [3] Partner Center\n" in text
    assert "Open in your browser: https://partner.microsoft.com/dashboard" in text
    assert "< bot: echo: 2\n" in text  # '2 sends the number as text
    assert "< bot: echo: 5\n" in text  # after a reply without buttons a bare number is text
    assert "not reached" not in text


def test_interactive_loop_survives_a_lost_bot_and_ends_at_end_of_input() -> None:
    stack = ExitStack()
    url = stack.enter_context(serve_in_thread(echo_app))
    typed = iter(["hello", "again"])

    def read(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        if line == "again":
            stack.close()  # the bot stops between two messages
        return line

    out, err = io.StringIO(), io.StringIO()
    assert run_interactive(ChatClient(url), "nl", out, err, read=read) == 0
    assert "< bot: echo: hello" in out.getvalue()
    assert err.getvalue() == f"kan de bot op {url} niet bereiken — draait `partnerbot serve`?\n"


def test_long_lines_wrap_under_their_text_and_bullets_hang() -> None:
    words = " ".join(["word"] * 30)
    assert wrap([f"- {words}", f"  {words}", "short"], 40) == [
        "- word word word word word word word",
        "  word word word word word word word",
        "  word word word word word word word",
        "  word word word word word word word",
        "  word word",
        "  word word word word word word word",
        "  word word word word word word word",
        "  word word word word word word word",
        "  word word word word word word word",
        "  word word",
        "short",
    ]
    url = "https://learn.microsoft.com/" + "x" * 60
    assert wrap([url], 40) == [url]  # never broken inside a word


async def test_a_named_conversation_goes_on_where_the_last_run_stopped(
    bot: BotHarness, tmp_path: Path
) -> None:
    """Two `partnerbot chat --script` runs with the same --conversation: the real bot's data entry goes
    on at the question the first run stopped at; another name starts afresh."""

    async def run(lines: str, conversation: str) -> list[str]:
        script = tmp_path / "s.txt"
        script.write_text(lines, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        status = await asyncio.to_thread(  # the chat client runs its own event loop, as the command does
            chat, bot.url, locale="en-US", tenant="t-conv", lang="en", script=script, welcome=False,
            timeout=60, out=out, err=err, conversation=conversation)
        assert (status, err.getvalue()) == (0, "")
        return out.getvalue().splitlines()

    first = await run("enter data\nenterprise\n", "demo")  # the 2023 rules ask the track first
    assert any("Question 2 of 8" in line for line in first)
    again = await run("7\n", "demo")
    assert any("Saved: Net customer adds = 7" in line for line in again)
    assert any("Question 3 of 8" in line for line in again)
    fresh = await run("7\n", "other")
    assert not any("Saved" in line for line in fresh)


def test_a_conversation_name_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["chat", "--conversation", "a b", "--script", "x.txt"])
    assert exited.value.code == 2
    assert "'a b' is not a conversation name" in capsys.readouterr().err
