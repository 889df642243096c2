"""Co-sell answers: a status or incentive explained, one requirement, and an offer's checklist.

The checklist answers first: the status reached, then what the next status needs with each step
(its Partner Center role and a short link). Every requirement, met ones included, is one tap away.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.cards import kit
from dialogs.cards.common import t
from scoring import cosell
from scoring.cosell import Explanation as CosellExplanation

MARKS = {True: "\u2713", False: "\u2717", None: "?"}
"""✓ met, ✗ not met, ? not known yet."""


def _check_button(lang: str) -> kit.Action:
    return kit.submit(t("answers.cosell.check", lang), "cosell", text_=t("answers.cosell.check_text", lang))


def _link(title: str, url: str) -> kit.Element:
    """A link with a short title, never a bare web address."""
    return kit.text(f"[{title}]({url})", size="Small")


def cosell_explanation_card(explanation: CosellExplanation, ids: Sequence[str] | None, lang: str) -> kit.Card:
    """A co-sell topic (statuses, incentives) or only the items named in ``ids``."""
    items = [i for i in explanation.items if ids is None or i.id in ids]
    single = bool(ids) and len(items) == 1
    body: list[kit.Element] = [kit.title(items[0].title if single else explanation.title)]
    for item in items:
        if not single:
            body.append(kit.subtitle(item.title))
        body.append(kit.text(item.text))
        if item.details:
            body.append(kit.bullets(item.details))
    body.append(_link(t("cards.link.cosell", lang), explanation.link))
    return kit.card(body, [_check_button(lang)], lang=lang)


def requirement_card(name: str, meaning: str, step: str, lang: str) -> kit.Card:
    parts = (
        [meaning, t("answers.cosell.next_step", lang, step=step)]
        if meaning != name
        else [t("answers.cosell.next_step", lang, step=step)]
    )
    body = [kit.title(t("answers.cosell.requirement_title", lang, name=name)), *[kit.text(p) for p in parts]]
    return kit.card(body, [_check_button(lang)], lang=lang)


def _g(key: str, lang: str, **params: object) -> str:
    return t(f"guided.cosell.checklist.{key}", lang, **params)


def _step(req: cosell.RequirementResult, lang: str) -> kit.Element:
    return kit.text(
        _g(
            "step",
            lang,
            mark=MARKS[req.met],
            requirement=req.name(lang),
            step=req.next_step(lang),
            role=req.role(lang),
            link=req.link(lang),
        )
    )


def checklist_card(result: cosell.OfferResult, lang: str) -> kit.Card:
    """The status reached (good when nothing is left, neutral otherwise), what the next status needs
    with its steps, and, one tap away, every requirement (✓ / ✗ / ?) with the other open steps."""
    offer = kit.plain(result.offer)
    offer_type = cosell.offer_type_name(result.offer_type, lang)
    done = result.status == result.could_reach and not result.next_status and not result.not_eligible_reason
    body: list[kit.Element] = [
        kit.title(_g("title", lang, offer=offer)),
        kit.text(_g("type", lang, offer_type=offer_type), subtle=True, spacing="None"),
        kit.text(_g("rules", lang, edition=cosell.edition_name(result.edition, lang)), subtle=True,
                 spacing="None"),
        kit.container(
            [kit.text(_g("status", lang, status=cosell.status_name(result.status, lang)), bold=True)],
            style="good" if done else "emphasis",
        ),
    ]
    if result.not_eligible_reason:
        body.append(kit.text(t(result.not_eligible_reason, lang, offer_type=offer_type)))
    by_id = {r.id: r for r in result.requirements}
    needed = [by_id[r] for r in result.next_status_needs if r in by_id]
    if result.next_status:
        line = _g(
            "next",
            lang,
            status=cosell.status_name(result.next_status, lang),
            needs="; ".join(r.name(lang) for r in needed) if needed else _g("nothing", lang),
        )
        body.append(kit.text(line, bold=True, spacing="Medium"))
        body += [_step(r, lang) for r in needed if r.met is not True]
    elif result.requirements:  # the top of this offer type's ladder: nothing above it
        body.append(kit.text(_g("top", lang, offer_type=offer_type), bold=True, spacing="Medium"))
    if result.pending and result.could_reach != result.status:
        body.append(
            kit.text(
                _g(
                    "could_reach",
                    lang,
                    status=cosell.status_name(result.could_reach, lang),
                    count=len(result.pending),
                ),
                subtle=True,
            )
        )
    actions: list[kit.Action] = []
    if result.requirements:
        details: list[kit.Element] = [
            kit.text(_g("requirements", lang), bold=True),
            kit.fact_set([(MARKS[r.met], r.name(lang)) for r in result.requirements]),
        ]
        later = [r for r in result.requirements if r.met is not True and r not in needed]
        if later:
            details += [
                kit.text(_g("steps", lang), bold=True, spacing="Medium"),
                *[_step(r, lang) for r in later],
            ]
        actions.append(kit.show_card(t("cards.checklist.all", lang, count=len(result.requirements)), details))
    return kit.card(body, actions, lang=lang)
