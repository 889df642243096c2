"""Cards of files in chat: the preview of a file sent (before → after, the score after, Save), and the
file the bot offers (the export, Teams' file consent card) and then sends (Teams' file info card).

The preview's numbers come from :mod:`scoring.api` (the profile stored now and the one the file would
give, each scored) and from :mod:`scoring.cosell` (each offer's status now and after); no id is shown:
metrics, record kinds, statuses and tracks by their Partner Center names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from botbuilder.schema import Attachment

from dialogs import formatting
from dialogs.cards import kit
from dialogs.cards.common import metric_name, t, value_text
from dialogs.cards.score import verdict
from dialogs.ports import Document
from kernel.formatting import unit_name
from scoring import api, cosell

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
RECORD_KINDS = tuple(api.RECORD_FIELDS)
MAX_OFFER_ROWS = 12
"""Offers shown one per row in a preview; more are counted in the last row."""


def _scored(document: Document | None, today: date) -> api.ScoreResult | None:
    if document is None:
        return None
    try:
        return api.evaluate(api.parse_profile(document, "profile"), today=today)
    except Exception:  # a stored profile the engine refuses now: shown as "nothing stored"
        return None


def _rows_of(document: Document | None, kind: str) -> int:
    records = (document or {}).get("records") or {}
    rows = records.get(kind) if isinstance(records, Mapping) else None
    return len(rows) if isinstance(rows, list) else 0


def profile_changes(
    before: Document | None, after: Document, today: date, lang: str
) -> tuple[list[tuple[str, str]], api.ScoreResult | None, api.ScoreResult]:
    """What storing ``after`` would change: (name, "before → after") rows, the score now and after."""
    now = _scored(before, today)
    then = api.evaluate(api.parse_profile(after, "profile"), today=today)
    none = t("files.preview.none", lang)
    rows: list[tuple[str, str]] = []
    if now is None or now.market != then.market:
        old = api.segment_name(now, now.market, lang) if now is not None and now.market else none
        new = api.segment_name(then, then.market, lang) if then.market else none
        if old != new:
            rows.append((t("files.preview.segment", lang), f"{old} → {new}"))
    for metric in then.metrics:
        was = now.metric(metric.id) if now is not None else None
        if was is not None and was.value == metric.value and was.points == metric.points:
            continue
        old = (
            f"{value_text(was.unit, was.value, lang)} · {formatting.points(was.points, lang)}"
            if was is not None else none
        )
        new = f"{value_text(metric.unit, metric.value, lang)} · {formatting.points(metric.points, lang)}"
        rows.append((metric_name(metric.id, lang), f"{old} → {new}"))
    for kind in RECORD_KINDS:
        old_rows, new_rows = _rows_of(before, kind), _rows_of(after, kind)
        changed = ((before or {}).get("records") or {}).get(kind) != (after.get("records") or {}).get(kind)
        if changed:
            unit = unit_name("files.unit.rows", new_rows, lang)
            rows.append((t(f"files.preview.records.{kind}", lang),
                         t("files.preview.rows", lang, before=formatting.count(old_rows, lang),
                           after=formatting.count(new_rows, lang), unit=unit)))
    return rows, now, then


def cosell_changes(before: Document | None, after: Document, lang: str) -> list[tuple[str, str]]:
    """Each offer's co-sell status now → after (new and removed offers too), and the partner facts."""
    now = {r.offer: r for r in cosell.evaluate_all(cosell.parse_cosell(before, "stored"))} if before else {}
    then = cosell.evaluate_all(cosell.parse_cosell(after, "file"))
    new_offer, removed = t("files.preview.new_offer", lang), t("files.preview.removed_offer", lang)
    rows: list[tuple[str, str]] = []
    for result in then:
        was = now.get(result.offer)
        old = cosell.status_name(was.status, lang) if was is not None else new_offer
        rows.append((result.offer, f"{old} → {cosell.status_name(result.status, lang)}"))
    names = {r.offer for r in then}
    rows += [(name, f"{cosell.status_name(r.status, lang)} → {removed}") for name, r in now.items()
             if name not in names]
    if len(rows) > MAX_OFFER_ROWS:  # a card stays readable (and under Teams' size limit)
        more = len(rows) - MAX_OFFER_ROWS + 1
        last = t("files.preview.more_offers", lang, count=formatting.count(more, lang))
        rows = [*rows[: MAX_OFFER_ROWS - 1], (last, "…")]
    old_partner = dict((before or {}).get("partner") or {})
    new_partner = dict(after.get("partner") or {})
    keys = set(old_partner) | set(new_partner)
    changed = sum(1 for key in keys if old_partner.get(key) != new_partner.get(key))
    if changed:
        rows.append((t("files.preview.partner_facts", lang),
                     t("files.preview.partner_facts_changed", lang, count=formatting.count(changed, lang))))
    return rows


def preview_card(
    name: str,
    profile_rows: Sequence[tuple[str, str]] | None,
    scores: tuple[api.ScoreResult | None, api.ScoreResult] | None,
    cosell_rows: Sequence[tuple[str, str]] | None,
    pending_id: str,
    lang: str,
) -> kit.Card:
    """What saving the file ``name`` would change, the score after it, and Save / Don't save."""
    body: list[kit.Element] = [kit.title(t("files.preview.title", lang)), kit.subtitle(name)]
    if profile_rows is not None:
        body.append(kit.text(t("files.preview.profile", lang), bold=True))
        body.append(kit.pairs(profile_rows) if profile_rows else kit.text(t("files.preview.same", lang)))
    if scores is not None:
        before, after = scores
        sentence, style = verdict(after, api.get_edition(after.edition), lang)
        total = (
            t("files.preview.total", lang, before=formatting.points(before.total, lang),
              after=formatting.points(after.total, lang))
            if before is not None
            else t("files.preview.total_new", lang, after=formatting.points(after.total, lang))
        )
        body.append(kit.container([kit.text(total, bold=True), kit.text(sentence)], style=style))
    if cosell_rows is not None:
        body.append(kit.text(t("files.preview.cosell", lang), bold=True))
        body.append(kit.pairs(cosell_rows) if cosell_rows else kit.text(t("files.preview.same", lang)))
    body.append(kit.text(t("files.preview.not_yet", lang), subtle=True, size="Small"))
    actions = [
        kit.submit(t("files.preview.save", lang), "file_save", text_=t("files.preview.save_text", lang),
                   data={"file": pending_id}, style="positive"),
        kit.submit(t("files.preview.discard", lang), "file_discard",
                   text_=t("files.preview.discard_text", lang), data={"file": pending_id}),
    ]
    return kit.card(body, actions, lang=lang)


def consent_attachment(name: str, size: int, what: str, lang: str) -> Attachment:
    """Teams' file consent card: the user accepts (or declines) before the bot may send ``name``."""
    context: dict[str, Any] = {"what": what, "name": name}
    return Attachment(
        content_type=FILE_CONSENT,
        name=name,
        content={
            "description": t(f"files.export.description.{what}", lang),
            "sizeInBytes": size,
            "acceptContext": context,
            "declineContext": context,
        },
    )


def file_info_attachment(name: str, content_url: str, unique_id: str, file_type: str) -> Attachment:
    """Teams' file info card: the file now in the user's OneDrive, as a file in the chat."""
    return Attachment(
        content_type=FILE_INFO,
        name=name,
        content_url=content_url,
        content={"uniqueId": unique_id, "fileType": file_type},
    )
