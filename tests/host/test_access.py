"""Roles through the real host WITH an app id (incoming tokens checked against a loopback key server,
the reply token from a loopback token endpoint):
every change path × every role, refusals in English and Dutch naming the owners, nothing stored and
nothing logged for a refused change, and the audit entries of the changes that were allowed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from bot.app import PARTNERS
from dialogs.audit import ACCESS, EDITOR, OWNER, VIEWER, Actor, DataChange, with_role
from kernel.texts import catalog
from tests.answers.cardcheck import actions_of, assert_valid_card
from tests.conversation.helpers import group_message
from tests.host.test_auth import _auth_settings, openid, token  # noqa: F401
from tests.support.harness import BotHarness
from tests.support.profiles import CONTOSO
from tests.support.token_server import TokenServer

ROOT_ACTOR = Actor("cli:root", "root", "cli", checked=False)


def aad(user: str) -> str:
    """The Entra object id the test connector gives ``user`` (tests.support.connector)."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, user))


class Person:
    """Someone of tenant t1 talking to the bot in Teams, with a valid channel token."""

    def __init__(self, bot: BotHarness, user: str, locale: str = "en-US", *, group: bool = False) -> None:
        self.bot, self.user, self.locale, self.group = bot, user, locale, group

    async def _send(self, text: str | None = None, value: dict[str, Any] | None = None,
                    entities: list[dict[str, Any]] | None = None) -> list[str]:
        headers = {"Authorization": "Bearer " + token(self.bot.connector.service_url)}
        if self.group:  # a group chat, the bot @mentioned
            activity = group_message(self.bot, text, user=self.user, value=value, locale=self.locale)
        else:
            activity = self.bot.activity(text=text, value=value, user=self.user, locale=self.locale)
        activity["entities"] = [*activity.get("entities", []), *(entities or [])]
        turn = await self.bot.send(activity, headers=headers)
        assert turn.status in (200, 201), turn.body
        self.replies = turn.replies
        return [r.text or "" for r in turn.replies] + [str(c) for r in turn.replies for c in r.cards]

    async def say(self, text: str, entities: list[dict[str, Any]] | None = None) -> str:
        return "\n".join(await self._send(text=text, entities=entities))

    async def click(self, data: dict[str, Any]) -> str:
        return "\n".join(await self._send(value=data))

    def button(self, verb: str) -> dict[str, Any]:
        found = [a["data"] for r in self.replies for c in r.cards for a in actions_of(c)
                 if isinstance(a.get("data"), dict) and a["data"].get("verb") == verb]
        assert found, f"no {verb} button in {self.replies}"
        return found[0]


@pytest.fixture
async def token_server():
    async with TokenServer() as server:
        yield server


@pytest.fixture
async def bot(make_bot, fake_connector, openid, token_server):  # noqa: F811
    """The real host as in production: an app id, incoming tokens checked against the loopback key
    server, the reply token fetched from the loopback token endpoint; nothing replaced."""
    settings = {**_auth_settings(openid, fake_connector),
                "to_channel_from_bot_login_url": token_server.login_url}
    settings.pop("conversation_factory")  # the real conversation
    harness = await make_bot(**settings)
    await harness.seed_profile("t1", CONTOSO)
    partners = harness.app[PARTNERS]
    for user, role in (("olga", OWNER), ("eddie", EDITOR)):
        await partners.change(DataChange("t1", ACCESS, _granting(user, role), actor=ROOT_ACTOR))
    return harness


def _granting(user: str, role: str, name: str = "") -> Any:
    return lambda doc: with_role(doc, aad(user), name or f"User {user}", role)


def refusal(lang: str, key: str = "access.refused.edit") -> str:
    owners = catalog().text("access.refused.owners", lang, names="User olga")
    return catalog().text(key, lang, owners=owners)


async def _log(bot: BotHarness) -> list[tuple[str, str, Any]]:
    return [(e.actor_name, e.kind, e.after) for e in await bot.app[PARTNERS].audit("t1")]


async def test_a_viewer_s_save_is_refused_naming_the_owners_and_nothing_is_stored(bot):
    vera = Person(bot, "vera")
    assert "Save" in await vera.say("set deployments to 12")
    save = vera.button("update_confirm")
    before, log = await bot.stored_profile("t1"), await _log(bot)
    assert refusal("en") in await vera.click(save)
    assert await bot.stored_profile("t1") == before and await _log(bot) == log
    # the proposal was dropped: a second click finds nothing waiting
    assert "There is no change waiting to be saved." in await vera.click(save)
    assert set(bot.connector.authorizations) == {"Bearer token-1"}  # every reply signed, one token fetch


async def test_a_viewer_is_refused_in_dutch(bot):
    vera = Person(bot, "vera", "nl-NL")
    await vera.say("zet implementaties op 11")
    assert refusal("nl") in await vera.click(vera.button("update_confirm"))


@pytest.mark.parametrize("user", ["eddie", "olga"])
async def test_editors_and_owners_save_and_the_change_is_logged_with_their_name(bot, user):
    person = Person(bot, user)
    await person.say("set deployments to 12")
    assert "Saved." in await person.click(person.button("update_confirm"))
    assert (await bot.stored_profile("t1"))["metrics"]["deployments_now"] == 12
    entry = (await bot.app[PARTNERS].audit("t1"))[-1]
    assert (entry.actor_id, entry.actor_name, entry.via, entry.path, entry.after) == (
        aad(user), f"User {user}", "chat", ("metrics", "deployments_now"), 12)


async def test_an_old_save_card_clicked_after_the_role_was_taken_away_is_refused(bot):
    eddie = Person(bot, "eddie")
    await eddie.say("set deployments to 13")
    save = eddie.button("update_confirm")
    revoke = DataChange("t1", ACCESS, lambda doc: with_role(doc, aad("eddie"), "", None), actor=ROOT_ACTOR)
    await bot.app[PARTNERS].change(revoke)
    assert refusal("en") in await eddie.click(save)
    assert (await bot.stored_profile("t1"))["metrics"]["deployments_now"] != 13


@pytest.mark.parametrize(("user", "stored"), [("vera", False), ("eddie", True), ("olga", True)])
async def test_a_guided_answer_is_stored_only_for_editors_and_owners(bot, user, stored):
    person = Person(bot, user)
    await bot.app[PARTNERS].change(DataChange("t1", "profile", lambda _: {}, actor=ROOT_ACTOR))
    assert "Question 1 of" in await person.say("enter data")
    reply = await person.click({"verb": "answer", "text": "enterprise"})
    assert (refusal("en") in reply) is not stored
    assert ((await bot.stored_profile("t1")).get("track") == "enterprise") is stored


@pytest.mark.parametrize(("user", "stored"), [("vera", False), ("eddie", True), ("olga", True)])
async def test_a_walkthrough_answer_is_stored_only_for_editors_and_owners(bot, user, stored):
    person = Person(bot, user, "nl-NL")
    assert "Wat voor soort aanbieding" in await person.say(
        "is mijn aanbieding Contoso Insights klaar voor co-sell?")
    reply = await person.click({"verb": "answer", "text": "Software as a service (SaaS)"})
    assert (refusal("nl") in reply) is not stored
    assert (await bot.stored_cosell("t1") is not None) is stored


async def test_a_viewer_still_gets_answers_and_what_ifs(bot):
    vera = Person(bot, "vera")
    log = await _log(bot)
    assert "Partner capability score" in await vera.say("what's my score?")
    assert "Nothing is stored" in await vera.say("what if we had 3 more deployments?")
    assert refusal("en") not in await vera.say("what's my score?")
    assert await _log(bot) == log  # asking writes nothing


async def test_in_a_group_chat_each_person_s_own_role_applies(bot):
    eddie, vera = Person(bot, "eddie", group=True), Person(bot, "vera", group=True)
    for person in (eddie, vera):
        await person.say("set deployments to 14")
    assert refusal("en") in await vera.click(vera.button("update_confirm"))
    assert "Saved." in await eddie.click(eddie.button("update_confirm"))
    assert [who for who, kind, _ in await _log(bot) if kind == "profile"][-1] == "User eddie"


def test_roles_are_named_in_both_languages() -> None:
    for role in (VIEWER, EDITOR, OWNER):
        assert catalog().text(f"access.role.{role}", "en") != catalog().text(f"access.role.{role}", "nl")


# --------------------------------------------------------------------------- grants, changes and undo in chat


def mention(user: str) -> dict[str, Any]:
    name = f"User {user}"
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": f"29:{user}", "name": name}}


async def test_an_owner_grants_a_role_by_mention_and_the_new_editor_can_save(bot):
    olga, anna = Person(bot, "olga"), Person(bot, "anna")
    await anna.say("set deployments to 20")
    assert refusal("en") in await anna.click(anna.button("update_confirm"))
    assert "Done: User anna is now editor." in await olga.say("make <at>User anna</at> an editor",
                                                             entities=[mention("anna")])
    await anna.say("set deployments to 20")
    assert "Saved." in await anna.click(anna.button("update_confirm"))
    grants = [e for e in await bot.app[PARTNERS].audit("t1")
              if e.kind == ACCESS and e.actor_name == "User olga"]
    assert [(e.path, e.after) for e in grants] == [(("members", aad("anna"), "role"), EDITOR)]


async def test_an_owner_grants_by_name_in_dutch_and_an_editor_may_not_grant(bot):
    await bot.app[PARTNERS].change(DataChange("t1", ACCESS, _granting("jan", VIEWER, "Jan de Boer"),
                                              actor=ROOT_ACTOR))
    olga = Person(bot, "olga", "nl-NL")
    assert "Gedaan: Jan de Boer is nu bewerker." in await olga.say("geef Jan schrijfrechten")
    assert "Ik weet niet wie u bedoelt" in await olga.say("geef Piet schrijfrechten")
    eddie = Person(bot, "eddie")
    assert refusal("en", "access.refused.grant") in await eddie.say("make <at>User vera</at> an owner",
                                                                    entities=[mention("vera")])
    assert aad("vera") not in str(await bot.app[PARTNERS].load_access("t1"))  # nothing stored


async def test_who_can_change_our_data_names_owners_and_editors(bot):
    said = await Person(bot, "vera").say("who can change our data?")
    assert "Owners: User olga." in said and "Editors: User eddie." in said and "Your role: viewer." in said
    assert aad("olga") not in said
    said = await Person(bot, "olga", "nl-NL").say("wie kan onze gegevens wijzigen?")
    assert "Eigenaren: User olga." in said and "Uw rol: eigenaar." in said


async def test_who_changed_and_what_changed_this_week_show_a_card_of_the_changes(bot):
    eddie = Person(bot, "eddie")
    await eddie.say("set deployments to 12")
    await eddie.click(eddie.button("update_confirm"))
    said = await Person(bot, "vera").say("who changed deployments?")
    assert "Recent changes" in said and "User eddie" in said and "8 → 12" in said
    assert "in chat" in said and aad("eddie") not in said
    vera = Person(bot, "vera", "nl-NL")
    said = await vera.say("wat is er deze week veranderd?")
    assert "Wijzigingen deze week" in said and "8 → 12" in said and "in de chat" in said
    assert "Rol van User eddie: (leeg) → bewerker" in said  # a role by the person's name, not their id
    for card in [c for r in vera.replies for c in r.cards]:
        assert_valid_card(card)  # Adaptive Card 1.5, as Teams renders it


async def test_an_editor_undoes_their_last_change_after_confirming(bot):
    eddie = Person(bot, "eddie")
    await eddie.say("set deployments to 12")
    await eddie.click(eddie.button("update_confirm"))
    card = await eddie.say("undo")
    assert "Undo this change?" in card and "12 → 8" in card
    for shown_card in [c for r in eddie.replies for c in r.cards]:
        assert_valid_card(shown_card)
    assert (await bot.stored_profile("t1"))["metrics"]["deployments_now"] == 12  # not before confirming
    assert "Undone" in await eddie.click(eddie.button("undo_confirm"))
    assert (await bot.stored_profile("t1"))["metrics"]["deployments_now"] == 8
    last = (await bot.app[PARTNERS].audit("t1"))[-1]
    assert (last.actor_name, last.before, last.after, last.undoes is not None) == ("User eddie", 12, 8, True)
    nl = Person(bot, "eddie", "nl-NL")
    assert "Deze wijziging ongedaan maken?" in await nl.say("maak ongedaan")  # the undo itself: a redo


async def test_an_undo_is_refused_when_a_later_change_touched_the_same_field(bot):
    eddie, olga = Person(bot, "eddie"), Person(bot, "olga")
    await eddie.say("set deployments to 12")
    await eddie.click(eddie.button("update_confirm"))
    await olga.say("set deployments to 15")
    await olga.click(olga.button("update_confirm"))
    said = await eddie.say("undo")
    assert "I can't undo that: User olga changed" in said and "Deployments" in said
    assert (await bot.stored_profile("t1"))["metrics"]["deployments_now"] == 15


async def test_a_viewer_cannot_undo_and_an_editor_cannot_undo_someone_else_s_change(bot):
    olga, eddie = Person(bot, "olga"), Person(bot, "eddie")
    await olga.say("set deployments to 15")
    await olga.click(olga.button("update_confirm"))
    assert refusal("en") in await Person(bot, "vera").say("undo")
    assert "There is no change of yours to undo." in await eddie.say("undo")
    # an owner may undo anyone's: olga undoes eddie's
    await eddie.say("set deployments to 16")
    await eddie.click(eddie.button("update_confirm"))
    assert "16 → 15" in await olga.say("undo")
    assert "Undone" in await olga.click(olga.button("undo_confirm"))


async def test_a_viewer_cannot_grant_a_role(bot):
    said = await Person(bot, "vera").say("make <at>User vera</at> an owner", entities=[mention("vera")])
    assert refusal("en", "access.refused.grant") in said
    assert aad("vera") not in str(await bot.app[PARTNERS].load_access("t1"))
