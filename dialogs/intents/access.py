"""Roles and the audit trail in chat: refusals, who can change the data, grants, recent changes, undo.

The rules themselves (who needs which role, the one change path, the log) are :mod:`dialogs.audit`;
this module says them in the user's language and makes the changes a person asks for in chat
through that same path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from botbuilder.schema import Activity

from dialogs import audit
from dialogs.audit import EDITOR, OWNER, VIEWER, AuditEntry, NotAllowed
from dialogs.cards import kit
from dialogs.intents.registry import Question, register, reply, t, text_reply
from dialogs.ports import PartnerRepository
from kernel import clock
from kernel.texts import catalog
from scoring import api

SHOWN = 8
"""Changes a card shows at most (the newest)."""


def names_text(names: Sequence[str], lang: str) -> str:
    """``Anna``, ``Anna and Ben``, ``Anna, Ben and Carla``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('access.and', lang)} {names[-1]}"


def refusal_text(error: NotAllowed, lang: str) -> str:
    """The polite refusal of a change the sender's role does not allow, naming the owners."""
    owners = (t("access.refused.owners", lang, names=names_text(error.owners, lang)) if error.owners
              else t("access.refused.no_owner", lang))
    key = "access.refused.grant" if error.needs == OWNER else "access.refused.edit"
    return t(key, lang, owners=owners)


def _partners(question: Question) -> PartnerRepository:
    if question.partners is None:
        raise RuntimeError(f"the intent {question.intent} needs the partner repository")
    return question.partners


async def _role(question: Question) -> str:
    """The asking person's role (everyone is an owner where roles are not checked)."""
    actor = audit.current_actor()
    if not actor.checked:
        return OWNER
    partners = _partners(question)
    return audit.role_of(await partners.load_access(question.tenant), actor.user_id,
                         partners.first_owners(question.tenant))


# --------------------------------------------------------------------------- who can change our data


@register("access", interrupts=True)
async def access(question: Question) -> list[Activity]:
    """Who can change the data: the tenant's owners and editors by name, and what each role may."""
    lang = question.lang
    partners = _partners(question)
    stored = audit.members(await partners.load_access(question.tenant))
    unknown = t("access.name_unknown", lang)
    owners = sorted(m["name"] or unknown for m in stored.values() if m["role"] == OWNER)
    owners += [unknown for user in partners.first_owners(question.tenant) if user not in stored]
    editors = sorted(m["name"] or unknown for m in stored.values() if m["role"] == EDITOR)
    none = t("access.who.none", lang)
    lines = [t("access.who.owners", lang, names=names_text(owners, lang) or none),
             t("access.who.editors", lang, names=names_text(editors, lang) or none),
             t("access.who.roles", lang)]
    if not audit.current_actor().checked:
        lines.append(t("access.who.unchecked", lang))
    lines.append(t("access.who.yours", lang, role=t(f"access.role.{await _role(question)}", lang)))
    return [reply(kit.card([kit.title(t("access.who.title", lang)), *[kit.text(x) for x in lines]],
                           lang=lang))]


# --------------------------------------------------------------------------- grants in chat

_ROLE_WORDS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("remove", "revoke", "take away", "intrekken", "afnemen", "verwijder", "ontneem", "no role",
            "geen rol")),
    (OWNER, ("owner", "eigenaar", "beheerder")),
    (EDITOR, ("editor", "schrijfrechten", "bewerker", "write access", "edit rights", "bewerkrechten")),
    (VIEWER, ("viewer", "lezer", "leesrechten", "read only", "read-only", "alleen lezen")),
)


def _wanted_role(text: str) -> tuple[bool, str | None]:
    """(found, role) for a grant sentence: ``None`` takes the role away."""
    said = text.lower()
    for role, words in _ROLE_WORDS:
        if any(re.search(rf"\b{re.escape(w)}", said) for w in words):
            return True, role
    return False, None


def _named(text: str, stored: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str]]:
    """Stored people whose name (or first name) the sentence says: (object id, name)."""
    words = set(re.findall(r"\w+", text.lower()))
    return [(user, m["name"]) for user, m in stored.items()
            if m["name"] and (m["name"].lower() in text.lower() or m["name"].split()[0].lower() in words)]


@register("grant")
async def grant(question: Question) -> list[Activity]:
    """ "make @Anna an editor", "geef Jan schrijfrechten": an owner gives or takes away a role."""
    lang = question.lang
    said = audit.current_input()
    found, role = _wanted_role(said.text)
    if not found:
        return [text_reply(t("access.grant.which_role", lang))]
    partners = _partners(question)
    stored = audit.members(await partners.load_access(question.tenant))
    people = [(m.user_id, m.name) for m in said.mentions if m.user_id] or _named(said.text, stored)
    if len(people) != 1:
        key = "access.grant.who" if not people else "access.grant.one"
        return [text_reply(t(key, lang))]
    user, name = people[0]
    outcome = await partners.change(audit.DataChange(
        question.tenant, audit.ACCESS, lambda doc: audit.with_role(doc, user, name, role)))
    shown = audit.members(outcome.after).get(user, {}).get("name") or name
    if role is None:
        return [text_reply(t("access.grant.revoked", lang, name=shown))]
    return [text_reply(t("access.grant.done", lang, name=shown, role=t(f"access.role.{role}", lang)))]


# --------------------------------------------------------------------------- recent changes


def field_label(entry: AuditEntry, lang: str, names: Mapping[str, str] | None = None) -> str:
    """A changed field as Partner Center names it: "Deployments now", "Contoso Insights: PartnerID";
    a role by the person's name (``names``: object id → name), never by their id."""
    path = entry.path
    if entry.kind == audit.ACCESS:
        name = (names or {}).get(str(path[1])) if len(path) > 1 else None
        return t("access.changes.role_of", lang, name=name or t("access.name_unknown", lang))
    leaf = str(path[-1]) if path and not isinstance(path[-1], Mapping) else ""
    offer = next((str(p["name"]) for p in path if isinstance(p, Mapping)), None)
    label = ""
    for key in (f"guided.profile.field.{leaf}.label", f"cosell.requirement.{leaf}", f"scoring.metric.{leaf}"):
        if leaf and catalog().has(key):
            label = t(key, lang, months=_window_months(entry.at))
            break
    if not label:
        label = t("access.changes.offer", lang) if offer and not leaf else leaf.replace("_", " ")
    return f"{kit.plain(offer)}: {label}" if offer else label


def _window_months(at: str) -> int:
    """The comparison window of the rules the change was made under (the edition of the latest month
    that could be evaluated that day), which the names of inputs such as "Deployments 12 months ago"
    state."""
    try:
        day = dt.date.fromisoformat(at[:10])
    except ValueError:
        day = clock.today()
    return api.edition_for(api.latest_evaluable_month(day)).comparison_months


def value_text(entry: AuditEntry, value: Any, lang: str) -> str:
    if value is None:
        return t("access.changes.empty", lang)
    if entry.kind == audit.ACCESS and isinstance(value, str) and value in audit.ROLES:
        return t(f"access.role.{value}", lang)
    if value is True:
        return t("access.changes.yes", lang)
    if value is False:
        return t("access.changes.no", lang)
    if isinstance(value, int | float):
        return f"{value:,}".replace(",", "." if lang == "nl" else ",")
    if isinstance(value, str):
        return kit.plain(value)
    return t("access.changes.rows", lang, count=len(value)) if isinstance(value, list) else kit.plain(
        json.dumps(value, ensure_ascii=False))


def when_text(at: str, lang: str) -> str:
    moment = dt.datetime.fromisoformat(at)
    months = t("access.months", lang).split()
    return f"{moment.day} {months[moment.month - 1]} {moment:%H:%M} UTC"


def _week_start(today: dt.date) -> str:
    return (today - dt.timedelta(days=today.weekday())).isoformat()


def changes_card(entries: Sequence[AuditEntry], title: str, lang: str, names: Mapping[str, str]) -> kit.Card:
    body: list[kit.Element] = [kit.title(title)]
    for entry in reversed(entries[-SHOWN:]):  # newest first
        via = t(f"access.via.{entry.via}", lang)
        label = kit.plain(field_label(entry, lang, names))
        before, after = value_text(entry, entry.before, lang), value_text(entry, entry.after, lang)
        body.append(kit.container([
            kit.text(f"**{label}**: {before} → {after}"),
            kit.text(f"{kit.plain(entry.actor_name or t('access.name_unknown', lang))} · "
                     f"{when_text(entry.at, lang)} · {via}", subtle=True),
        ], separator=True))
    return kit.card(body, lang=lang)


@register("changes", interrupts=True)
async def changes(question: Question) -> list[Activity]:
    """ "what changed this week?", "who changed deployments?", "show recent changes"."""
    lang = question.lang
    text = audit.current_input().text.lower()
    since = _week_start(question.today) if re.search(r"\bweek\b", text) else None
    entries = await _partners(question).audit(question.tenant, since=since)
    metric = question.recognition.metric
    if metric:
        key = {"usage_growth": "consumption", "intermediate_certifications": "intermediate_certified",
               "advanced_certifications": "advanced_certified"}.get(metric, metric)
        entries = [e for e in entries if e.kind == audit.PROFILE and key in audit.field_name(e.path)]
    if not entries:
        return [text_reply(t("access.changes.none_week" if since else "access.changes.none", lang))]
    title = t("access.changes.title_week" if since else "access.changes.title", lang)
    names = {user: m["name"] for user, m in audit.members(await _partners(question).load_access(
        question.tenant)).items() if m["name"]}
    return [reply(changes_card(entries, title, lang, names))]


# --------------------------------------------------------------------------- undo


def _by_change(entries: Sequence[AuditEntry]) -> dict[str, list[AuditEntry]]:
    grouped: dict[str, list[AuditEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.change_id, []).append(entry)
    return grouped


def _overlaps(a: Sequence[Any], b: Sequence[Any]) -> bool:
    n = min(len(a), len(b))
    return audit.path_key(a[:n]) == audit.path_key(b[:n])


async def _undoable(question: Question, change_id: str | None) -> tuple[list[AuditEntry] | None, str]:
    """The change to undo (this person's last one; an owner's: anyone's last), or why there is none."""
    actor = audit.current_actor()
    role = await _role(question)
    if role == VIEWER:
        raise NotAllowed(question.tenant, EDITOR, role, await _owners(question))
    entries = await _partners(question).audit(question.tenant)
    grouped = _by_change(entries)
    if change_id is None:  # an editor's own last change; an owner's: the last change of anyone
        mine = entries if role == OWNER else [e for e in entries if e.actor_id == actor.user_id]
        if not mine:
            return None, t("access.undo.nothing", question.lang)
        change_id = mine[-1].change_id
    target = grouped.get(change_id)
    if not target:
        return None, t("access.undo.nothing", question.lang)
    if role != OWNER and target[0].actor_id != actor.user_id:
        return None, t("access.undo.not_yours", question.lang)
    last = max(e.seq for e in target)
    for later in (e for e in entries if e.seq > last):
        if later.kind == target[0].kind and any(_overlaps(later.path, e.path) for e in target):
            return None, t("access.undo.conflict", question.lang, field=field_label(later, question.lang),
                           name=later.actor_name or t("access.name_unknown", question.lang),
                           when=when_text(later.at, question.lang))
    return target, ""


async def _owners(question: Question) -> list[str]:
    stored = audit.members(await _partners(question).load_access(question.tenant))
    return sorted(m["name"] for m in stored.values() if m["role"] == OWNER and m["name"])


@register("undo")
async def undo(question: Question) -> list[Activity]:
    """ "undo" / "maak ongedaan": the last change shown before → after; saved only on confirmation."""
    lang = question.lang
    target, why = await _undoable(question, None)
    if target is None:
        return [text_reply(why)]
    body: list[kit.Element] = [kit.title(t("access.undo.title", lang)),
                               kit.text(t("access.undo.intro", lang, name=kit.plain(target[0].actor_name),
                                          when=when_text(target[0].at, lang)))]
    body += [kit.text(f"**{kit.plain(field_label(e, lang))}**: {value_text(e, e.after, lang)} → "
                      f"{value_text(e, e.before, lang)}") for e in target[:SHOWN]]
    if len(target) > SHOWN:
        body.append(kit.text(t("access.undo.more", lang, count=len(target) - SHOWN), subtle=True))
    actions = [kit.submit(t("access.undo.confirm", lang), "undo_confirm",
                          data={"change": target[0].change_id}),
               kit.submit(t("access.undo.cancel", lang), "undo_cancel")]
    return [reply(kit.card(body, actions, lang=lang))]


def _undo_compute(target: Sequence[AuditEntry]) -> Any:
    def compute(doc: audit.Document | None) -> audit.Document:
        out: audit.Document = dict(doc or {})
        items = [e for e in target if isinstance(e.path[-1], Mapping)]
        leaves = [e for e in target if not isinstance(e.path[-1], Mapping)]
        for entry in [e for e in items if e.before is not None]:  # offers that come back first
            out = audit.set_path(out, entry.path, entry.before)
        for entry in leaves:
            with contextlib.suppress(ValueError):  # inside an offer the undo removes anyway
                out = audit.set_path(out, entry.path, entry.before)
        for entry in [e for e in items if e.before is None]:
            out = audit.set_path(out, entry.path, None)
        return out

    return compute


@register("undo_confirm")
async def undo_confirm(question: Question) -> list[Activity]:
    lang = question.lang
    value = audit.current_input().value or {}
    change_id = value.get("change")
    if not isinstance(change_id, str):
        return [text_reply(t("access.undo.nothing", lang))]
    target, why = await _undoable(question, change_id)
    if target is None:
        return [text_reply(why)]
    await _partners(question).change(audit.DataChange(
        question.tenant, target[0].kind, _undo_compute(target), undoes=max(e.seq for e in target)))
    return [text_reply(t("access.undo.done", lang))]


@register("undo_cancel")
async def undo_cancel(question: Question) -> list[Activity]:
    return [text_reply(t("access.undo.kept", question.lang))]
