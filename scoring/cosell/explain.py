"""Explanations the bot renders: status meanings, incentive requirements, offer vs co-sell solution.

Everything is built from the edition (which statuses, requirements and offer types exist) and the
text catalog (what they are called and mean), in the language asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kernel.errors import InputError
from kernel.texts import catalog
from scoring.cosell.edition import Edition, worded
from scoring.cosell.edition import edition as find_edition
from scoring.cosell.evaluate import result_of

Topic = Literal["statuses", "incentives", "offer_vs_solution"]
TOPICS: tuple[Topic, ...] = ("statuses", "incentives", "offer_vs_solution")


@dataclass(frozen=True)
class ExplanationItem:
    id: str
    title: str
    text: str
    details: tuple[str, ...] = ()
    """Bullet points (e.g. the requirements of an incentive, with the offer types it applies to)."""
    link: str | None = None


@dataclass(frozen=True)
class Explanation:
    topic: str
    title: str
    items: tuple[ExplanationItem, ...]
    link: str


@dataclass(frozen=True)
class OfferTypeInfo:
    id: str
    group: str
    eligible: bool

    @property
    def name_key(self) -> str:
        return f"cosell.offer_type.{self.id}"

    def name(self, lang: str = "en") -> str:
        return catalog().text(self.name_key, lang)


def offer_types(*, edition: str | Edition | None = None) -> list[OfferTypeInfo]:
    """Every offer type of the edition, in its order, with its group and whether it can be co-sold."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    return [OfferTypeInfo(t, group, ed.ineligible_status(t) is None)
            for group, types in ed.groups.items() for t in types]


def status_name(status: str, lang: str = "en") -> str:
    return catalog().text(f"cosell.status.{status}.name", lang)


def offer_type_name(offer_type: str, lang: str = "en") -> str:
    return catalog().text(f"cosell.offer_type.{offer_type}", lang)


def explain(topic: str, lang: str = "en", *, edition: str | Edition | None = None) -> Explanation:
    """Structured explanation of ``topic`` (one of :data:`TOPICS`) in ``lang``."""
    ed = edition if isinstance(edition, Edition) else find_edition(edition)
    cat = catalog()
    link = cat.text("cosell.explain.link", lang)
    if topic == "statuses":
        items = tuple(ExplanationItem(s.id, status_name(s.id, lang),
                                      cat.text(worded(f"cosell.status.{s.id}.meaning", ed.id), lang))
                      for s in ed.statuses)
    elif topic == "incentives":
        found: list[ExplanationItem] = []
        for status in ed.statuses:
            if status.kind != "requirements" or status.offer_groups is None:
                continue
            types = [t for g in status.offer_groups for t in ed.groups[g]]
            specific = [r for r in ed.requirements
                        if r.level == status.id or (r.applies_to is not None
                                                    and any(ed.applies(r, t) for t in types)
                                                    and not ed.applies(r, _other_type(ed, types)))]
            ladder = ed.ladder(types[0])
            below = ladder[ladder.index(status) - 1]
            details = [cat.text("cosell.explain.incentive.first", lang, status=status_name(below.id, lang))]
            details += [cat.text("cosell.explain.incentive.requirement", lang,
                                 requirement=result_of(r, None, "", ed.id).name(lang),
                                 step=result_of(r, None, "", ed.id).next_step(lang))
                        for r in specific]
            details.append(cat.text("cosell.explain.incentive.types", lang,
                                    types=", ".join(offer_type_name(t, lang) for t in types)))
            meaning = cat.text(worded(f"cosell.status.{status.id}.meaning", ed.id), lang)
            found.append(ExplanationItem(status.id, status_name(status.id, lang), meaning, tuple(details)))
        items = tuple(found)
    elif topic == "offer_vs_solution":
        items = tuple(ExplanationItem(part, cat.text(f"cosell.explain.{part}.title", lang),
                                      cat.text(f"cosell.explain.{part}.text", lang),
                                      (cat.text(f"cosell.explain.{part}.role", lang),),
                                      cat.text(f"cosell.explain.{part}.link", lang))
                      for part in ("offer", "solution"))
    else:
        raise InputError(f"unknown co-sell topic '{topic}' (known: {', '.join(TOPICS)})",
                         code="cosell_unknown_topic", params={"topic": topic, "known": ", ".join(TOPICS)},
                         field="topic")
    return Explanation(topic, cat.text(f"cosell.explain.{topic}.title", lang), items, link)


def _other_type(ed: Edition, excluded: list[str]) -> str:
    """An eligible offer type outside ``excluded``: a requirement that applies to it is not specific."""
    return next(t for types in ed.groups.values() for t in types
                if t not in excluded and ed.ineligible_status(t) is None)
