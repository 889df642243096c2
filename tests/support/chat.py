"""One person in a personal chat with the real bot: what they type and click, and what they see.

    chat = Chat(await make_bot(), locale="nl-NL")
    first = await chat.begin("profile")       # says "enter data" (in the chat's language)
    reply = await chat.say("12")              # the texts shown, one per reply (cards as their text)
    reply = await chat.click("larger")        # a card button: empty text, value {"verb", "text"}
    await chat.restart()                      # a new app (as a new process) on the same SQLite file

Everything goes through the real app: the HTTP edge, ``CloudAdapter``, the router
(``dialogs.conversation``) and SQLite, with the :class:`~tests.support.harness.FakeConnector`
receiving the replies. Every card shown is checked against the Adaptive Card 1.5 schema.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from bot.app import PARTNERS
from kernel.texts import catalog
from scoring.cosell import offer_type_name
from tests.answers.cardcheck import assert_valid_card, card_text, clicks
from tests.support.harness import BotHarness, Reply

# What a person types to start each guided dialog; the router recognizes it (no shortcut into a dialog).
START = {
    ("profile", "en"): "enter data",
    ("profile", "nl"): "gegevens invoeren",
    ("cosell", "en"): "is my offer co-sell ready?",
    ("cosell", "nl"): "is mijn aanbieding klaar voor co-sell?",
}
ANOTHER_QUESTION = {"en": "what's my score?", "nl": "wat is onze score?"}


def shown(reply: Reply) -> str:
    """What a person sees of one reply: its text and the visible texts of its cards."""
    for card in reply.cards:
        assert_valid_card(card)
    return "\n".join(p for p in [reply.text, *(card_text(c) for c in reply.cards)] if p)


class Chat:
    """A person of ``tenant`` chatting with the bot in ``locale``; ``replies`` holds all they were sent."""

    def __init__(self, bot: BotHarness, *, tenant: str = "tenant-a", locale: str = "en-US",
                 user: str = "user1", conversation: str | None = None,
                 restart: Callable[[], Awaitable[BotHarness]] | None = None) -> None:
        self.bot = bot
        self.tenant = tenant
        self.locale = locale
        self.lang = "nl" if locale.lower().startswith("nl") else "en"
        self.user = user
        self._where = {"locale": locale, "tenant": tenant, "user": user, "conversation": conversation}
        self.replies: list[Reply] = []
        self._restart = restart

    @property
    def partners(self) -> Any:
        """The running app's partner data repository (``load_profile``, ``save_cosell``, ...)."""
        return self.bot.app[PARTNERS]

    def _kept(self, replies: list[Reply]) -> list[str]:
        self.replies.extend(replies)
        return [shown(r) for r in replies]

    async def say(self, text: str) -> list[str]:
        """Type ``text``; returns what the bot answered, one text per reply."""
        return self._kept(await self.bot.say(text, **self._where))

    async def click(self, said: str) -> list[str]:
        """Click the answer button that stands for ``said`` (empty text, ``value`` set, as Teams sends)."""
        return self._kept(await self.bot.submit({"verb": "answer", "text": said}, **self._where))

    async def begin(self, dialog: str, options: Mapping[str, Any] | None = None) -> list[str]:
        """Ask for a guided dialog as a person would: ``"profile"`` or ``"cosell"``. For ``"cosell"``,
        ``options`` may name the ``offer`` (typed when asked) and its ``offer_type`` (its button
        clicked); returns the replies to the last of these messages."""
        reply = await self.say(START[dialog, self.lang])
        if options and options.get("offer") is not None:
            reply = await self.say(str(options["offer"]))
        if options and options.get("offer_type") is not None:
            reply = await self.click(offer_type_name(str(options["offer_type"]), self.lang))
        return reply

    async def cancel(self) -> list[str]:
        return await self.say("cancel" if self.lang == "en" else "annuleer")

    async def interrupt(self) -> list[str]:
        """Ask another question in the middle of a dialog (the score): answered, then the dialog goes on."""
        return await self.say(ANOTHER_QUESTION[self.lang])

    async def nothing_runs(self) -> bool:
        """Whether no dialog runs: "cancel" then says there is nothing to stop (and changes nothing)."""
        reply = await self.cancel()
        return reply == [catalog().text("answers.cancelled_nothing", self.lang)]

    def last_buttons(self) -> list[dict[str, Any]]:
        """What each click (or pick in a drop-down) on the last card sent sends."""
        for reply in reversed(self.replies):
            if reply.cards:
                return clicks(reply.cards[-1])
        return []

    async def restart(self) -> None:
        """A new bot process: a new app (dialogs, state, repository) on the same database file."""
        assert self._restart is not None, "this chat was made without a way to restart its bot"
        await self.bot.close()
        self.bot = await self._restart()

