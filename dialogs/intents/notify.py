"""Opting a conversation in to (and out of) what the bot says first: "notify me" / "houd me op de
hoogte", "stop notifications". The conversation's reference is stored with the tenant's data; the
host (:mod:`bot.notify`) sends digests and warnings to it."""

from __future__ import annotations

from botbuilder.schema import Activity

from dialogs import digest, turn
from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply, t
from scoring import api


@register("notify_on", interrupts=True)
async def notify_on(question: Question) -> list[Activity]:
    lang = question.lang
    reference = turn.conversation_reference()
    if reference is None or question.partners is None:
        return [reply(cards.text_card(t("notify.on.title", lang), [t("notify.unavailable", lang)], lang))]
    key = digest.current_key(question.document, question.today)
    new = await question.partners.subscribe(question.tenant, turn.conversation_key(reference), reference,
                                            lang, key)
    day = api.edition_on(question.today).monthly_data_available_day
    lines = [t("notify.on.text", lang, day=day, days=digest.WARN_DAYS)]
    if not new:
        lines.insert(0, t("notify.on.again", lang))
    return [reply(cards.text_card(t("notify.on.title", lang), lines, lang))]


@register("notify_off", interrupts=True)
async def notify_off(question: Question) -> list[Activity]:
    lang = question.lang
    reference = turn.conversation_reference()
    removed = False
    if reference is not None and question.partners is not None:
        removed = await question.partners.unsubscribe(question.tenant, turn.conversation_key(reference))
    text = t("notify.off.text", lang) if removed else t("notify.off.none", lang)
    return [reply(cards.text_card(t("notify.off.title", lang), [text], lang))]
