"""The conversation in the terminal: interactive prompt loop and scripted transcripts.

Both modes print the same transcript: ``> you: ...`` for what the user said or clicked, then
each reply of the bot as a ``< bot:`` block (cards rendered by :mod:`bot.chatclient.render`).
A line is a command (``/help``, ``/quit``), a click (``[2]``, a button's title, or in
interactive mode a bare ``2`` while buttons are shown), a literal message (a leading ``'``
sends the rest as typed), or a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.chatclient.protocol import ChatClient, ChatError, Received, wait_for_bot
from bot.chatclient.render import Button, TurnRenderer, is_click_syntax, render_turn, resolve_click
from kernel.files import read_text
from kernel.texts import catalog

QUIT = frozenset({"/quit", "/exit", "/q"})
HELP = frozenset({"/help", "/?", "/h"})
LITERAL = "'"
TRANSCRIPT_WIDTH = 100
"""Line width of a transcript printed to a file or pipe."""
MIN_WIDTH = 40


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"chat.{key}", lang, **params)


def output_width(out: TextIO) -> int:
    """The terminal's width when ``out`` is one (``COLUMNS`` wins), else :data:`TRANSCRIPT_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    try:
        if out.isatty():
            return max(shutil.get_terminal_size().columns, MIN_WIDTH)
    except (AttributeError, ValueError, OSError):
        pass
    return TRANSCRIPT_WIDTH


_BULLET = re.compile(r"^(\s*(?:[-•*✓✗?]|\d+[.)])\s+)")


def wrap(lines: Iterable[str], width: int) -> list[str]:
    """Long lines broken at spaces to ``width``, continuing under their text (bullets stay hanging)."""
    result: list[str] = []
    for line in lines:
        if len(line) <= width:
            result.append(line)
            continue
        lead = _BULLET.match(line)
        indent = " " * len(lead.group(1)) if lead else line[: len(line) - len(line.lstrip())]
        result.extend(textwrap.wrap(line, width=max(width, 20), subsequent_indent=indent,
                                    break_long_words=False, break_on_hyphens=False) or [line])
    return result


def script_lines(text: str) -> list[str]:
    """The messages of a script: one per line, blank lines and ``#`` comments skipped."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class ChatSession:
    """Turns typed lines into activities and the bot's replies into printed text."""

    def __init__(self, client: ChatClient, lang: str, out: TextIO, *, interactive: bool,
                 width: int | None = None) -> None:
        self.client = client
        self.lang = lang
        self.out = out
        self.width = width or output_width(out)
        self.interactive = interactive
        self.buttons: list[Button] = []
        self.last_turn_had_buttons = False

    # --- output -------------------------------------------------------------------------------

    def _print(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.out)
        self.out.flush()

    def _block(self, who: str, lines: Sequence[str]) -> None:
        prefix = f"< {who}: "
        wrapped = wrap(lines, self.width - len(prefix))
        if not wrapped:
            return
        self._print(prefix + wrapped[0], *((" " * len(prefix) + line).rstrip() for line in wrapped[1:]))

    def _you(self, said: str) -> None:
        if not self.interactive:
            self._print(f"> {_t('you', self.lang)}: {said}")

    def show(self, received: Iterable[Received]) -> None:
        """Print the replies of a turn and make their buttons the ones a number clicks."""
        bot = _t("bot", self.lang)
        renderer = TurnRenderer(self.lang, width=self.width - len(f"< {bot}: "))
        for item in received:
            if item.kind == "delete":
                self._block(bot, [_t("render.deleted", self.lang)])
                continue
            lines = renderer.activity(item.activity)
            if item.kind == "update" and lines:
                lines = [_t("render.updated", self.lang), *lines]
            self._block(bot, lines)
        self.last_turn_had_buttons = bool(renderer.buttons)
        if renderer.buttons:
            self.buttons = renderer.buttons

    # --- input --------------------------------------------------------------------------------

    async def open(self) -> None:
        self.show(await self.client.open())

    async def handle(self, line: str) -> bool:
        """Act on one line; ``False`` when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        command = line.split()[0].lower()
        if command in QUIT:
            return False
        if command in HELP:
            self._print(*_t("help", self.lang).split("\n"))
            return True
        if line.startswith(LITERAL) and len(line) > 1:
            said = line[1:].strip()
            self._you(said)
            self.show(await self.client.say(said))
            return True
        number = resolve_click(line, self.buttons,
                               bare_numbers=self.interactive and self.last_turn_had_buttons)
        if number is not None:
            if self.interactive:  # show what a typed number or title did, and how to send it as text
                button = self.buttons[number - 1]
                if line.strip().isdigit():
                    self._print(_t("clicked_number", self.lang, number=number, title=button.title))
                else:
                    self._print(_t("clicked", self.lang, number=number, title=button.title))
            await self.click(number)
        elif is_click_syntax(line):
            self._you(line)
            self._print(_t("no_button", self.lang, number=line.strip("[] "), count=len(self.buttons)))
        else:
            self._you(line)
            self.show(await self.client.say(line))
        return True

    async def click(self, number: int) -> None:
        button = self.buttons[number - 1]
        self._you(f"[{number}] {button.title}")
        if button.kind == "submit":
            self.show(await self.client.submit(button.value, reply_to=button.reply_to))
        elif button.kind == "text":
            if button.value is None:
                self.show(await self.client.say(button.text))
            else:
                self.show(await self.client.submit(button.value, text=button.text, reply_to=button.reply_to))
        elif button.kind == "url":
            self._print(_t("open_url", self.lang, url=button.url))
        elif button.kind == "card" and button.card is not None:
            renderer = TurnRenderer(self.lang, start=len(self.buttons) + 1, width=self.width - 8)
            self._block(_t("bot", self.lang), renderer.card(button.card, button.reply_to))
            self.buttons = [*self.buttons, *renderer.buttons]
        elif button.kind == "execute":
            received, body = await self.client.invoke("adaptiveCard/action", button.value,
                                                      reply_to=button.reply_to)
            self.show(received)
            self._show_invoke_body(body)
        else:
            self._print(_t("unsupported", self.lang, title=button.title))

    def _show_invoke_body(self, body: Any) -> None:
        if not isinstance(body, dict):
            return
        value = body.get("value")
        if body.get("type") == "application/vnd.microsoft.card.adaptive" and isinstance(value, dict):
            rendered = render_turn([{"type": "message", "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "content": value}]}], self.lang)
            self._block(_t("bot", self.lang), rendered.lines)
            if rendered.buttons:
                self.buttons = rendered.buttons
        elif isinstance(value, str) and value:
            self._block(_t("bot", self.lang), [value])


async def run_script(client: ChatClient, lines: Sequence[str], lang: str, out: TextIO, err: TextIO,
                     *, welcome: bool = True) -> int:
    """Send each line, print the transcript; 0, or 1 (with one line on ``err``) when the bot fails."""
    session = ChatSession(client, lang, out, interactive=False)
    try:
        async with client:
            if welcome:
                await session.open()
            for line in lines:
                if not await session.handle(line):
                    break
    except ChatError as error:
        print(error.render(lang), file=err)
        return error.status
    return 0


def run_interactive(client: ChatClient, lang: str, out: TextIO, err: TextIO, *, welcome: bool = True,
                    read: Callable[[str], str] = input) -> int:
    """The prompt loop: ``/quit`` (or end of input) leaves, ``/help`` explains."""
    prompt = f"> {_t('you', lang)}: "
    with asyncio.Runner() as runner:
        session = ChatSession(client, lang, out, interactive=True)
        try:
            runner.run(client.start())
            print(_t("intro", lang, url=client.bot_url), file=out)
            if welcome:
                runner.run(session.open())
        except ChatError as error:
            runner.run(client.close())
            print(error.render(lang), file=err)
            return error.status
        try:
            while True:
                try:
                    line = read(prompt)
                except EOFError:
                    print(file=out)
                    break
                try:
                    if not runner.run(session.handle(line)):
                        break
                except ChatError as error:  # the bot may come back: keep the prompt
                    print(error.render(lang), file=err)
        finally:
            runner.run(client.close())
    return 0


async def wait_then(client: ChatClient, seconds: float) -> None:
    """Wait up to ``seconds`` for the bot to accept connections (a script started with the server)."""
    if seconds > 0:
        await wait_for_bot(client.bot_url, attempts=max(1, int(seconds / 0.1)), delay=0.1)


def chat(
    url: str,
    *,
    locale: str,
    tenant: str,
    lang: str,
    script: Path | None = None,
    welcome: bool = True,
    timeout: float,
    wait: float = 0.0,
    out: TextIO | None = None,
    err: TextIO | None = None,
    conversation: str | None = None,
    user: str | None = None,
    user_id: str | None = None,
) -> int:
    """``partnerbot chat``: the exit status. ``conversation`` names a conversation to continue;
    ``user`` and ``user_id`` are the name and Entra object id the messages come from."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _chat(url, locale=locale, tenant=tenant, lang=lang, script=script, welcome=welcome,
                     timeout=timeout, wait=wait, out=out, err=err, conversation=conversation,
                     user=user, user_id=user_id)
    except BrokenPipeError:  # the transcript was piped into something that stopped reading (| head)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 1


def conversation_id(tenant: str, name: str | None) -> str | None:
    """The Teams-shaped id of the named conversation of ``tenant`` (None: a new one each run)."""
    return None if name is None else f"a:partnerbot-chat-{tenant}-{name}"


def _chat(url: str, *, locale: str, tenant: str, lang: str, script: Path | None, welcome: bool,
          timeout: float, wait: float, out: TextIO, err: TextIO, conversation: str | None,
          user: str | None = None, user_id: str | None = None) -> int:
    try:
        client = ChatClient(url, locale=locale, tenant=tenant, user_name=user or _t("user_name", lang),
                            user_id=user_id, timeout=timeout,
                            conversation_id=conversation_id(tenant, conversation))
    except ChatError as error:
        print(error.render(lang), file=err)
        return error.status
    if script is not None:
        lines = script_lines(read_text(script))

        async def scripted() -> int:
            await wait_then(client, wait)
            return await run_script(client, lines, lang, out, err, welcome=welcome)

        return asyncio.run(scripted())
    if wait > 0:
        asyncio.run(wait_then(client, wait))
    return run_interactive(client, lang, out, err, welcome=welcome)
