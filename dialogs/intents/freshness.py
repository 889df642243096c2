"""When data counts: monthly data, certifications, a dated customer or certification, a named month."""

from __future__ import annotations

from datetime import date

from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards import answers as cards
from dialogs.intents.registry import Question, register, reply, t
from dialogs.understanding import dates
from scoring import api


@register("freshness", interrupts=True)
async def freshness(question: Question) -> list[Activity]:
    recognition, lang = question.recognition, question.lang
    today = question.today
    edition = api.edition_on(today)
    latest = api.latest_evaluable_month(today)
    following = latest.shift(1)
    next_day = api.when_counts("revenue", date(following.year, following.month, 1), edition)
    paragraphs = [t("answers.freshness.monthly", lang, day=edition.monthly_data_available_day)]
    if next_day >= today:
        paragraphs.append(
            t(
                "answers.freshness.latest",
                lang,
                today=formatting.day(today, lang),
                month=formatting.month(str(latest), lang),
                next_month=formatting.month(str(following), lang),
                next_day=formatting.day(next_day, lang),
            )
        )
    paragraphs.append(
        t(
            "answers.freshness.certification",
            lang,
            days=edition.certification_delay_days,
            by=formatting.day(api.certification_counts_by(today, edition=edition), lang),
        )
    )
    asked = len(paragraphs)  # what the question named comes first: the answer, then the rules
    on = dates.date_of(recognition.entities, today)
    certification = recognition.entities.get("certification") or recognition.metric in (
        "intermediate_certifications",
        "advanced_certifications",
    )
    if on is not None:
        key, kind = ("dated_certification", "certification_earned") if certification else (
            "dated", "workload_added")
        counts = api.when_counts(kind, on, edition)
        paragraphs.append(
            t(
                f"answers.freshness.{key}.{_tense(on, counts, today)}",
                lang,
                on=formatting.day(on, lang),
                counts=formatting.day(counts, lang),
            )
        )
    else:
        named = dates.month_of(recognition.entities, today)
        if named is not None:
            available = api.when_counts("revenue", named, edition)
            key = "month_available" if available <= today else "month_later"
            paragraphs.append(
                t(
                    f"answers.freshness.{key}",
                    lang,
                    month=formatting.month(named, lang),
                    day=formatting.day(available, lang),
                )
            )
    if len(paragraphs) > asked:
        paragraphs.insert(0, paragraphs.pop(asked))
    result = question.result_or_none()
    if result is not None:
        paragraphs.append(
            t("answers.freshness.yours", lang, month=formatting.month(str(result.evaluated_month), lang))
        )
    return [reply(cards.freshness_card(paragraphs, lang))]


def _tense(on: date, counts: date, today: date) -> str:
    """``past`` (it counts already), ``future`` (added, counts later) or ``planned`` (not added yet)."""
    if on > today:
        return "planned"
    return "past" if counts <= today else "future"

