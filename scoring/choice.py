"""What a profile is scored with: the evaluated month, the rule edition for it, and the market (2022)
or track (2023) — from the profile, else (A′.1) from its revenue records, else an InputError that asks
for it."""

from __future__ import annotations

from datetime import date

from kernel import clock
from kernel.errors import InputError
from kernel.texts import catalog
from scoring.edition import Edition
from scoring.editions import edition_for, get_edition
from scoring.months import Month
from scoring.profile import Profile, check_segment
from scoring.records import Aggregate, aggregate_revenue
from scoring.results import Notice
from scoring.timing import latest_evaluable_month


def choose_edition(profile: Profile, today: date | None, edition: str | None) -> tuple[Edition, Month]:
    """The evaluated month and the edition for it (named by argument or profile, else by date)."""
    if profile.evaluated_month is not None:
        month = profile.evaluated_month
    else:
        month = latest_evaluable_month(today or clock.today())
    named = edition or profile.rules
    return (get_edition(named) if named else edition_for(month)), month


def classify(edition: Edition, revenue: Aggregate) -> str | None:
    """A′.1: the track from revenue records, or ``None`` when the records do not decide it.

    The ``track`` of the classification (enterprise) needs at least ``min_pairs`` pairs above the
    pair revenue in both the latest month and the comparison month; a month with rows and fewer
    pairs decides ``otherwise`` (smb); a month without any row leaves it open."""
    c = edition.classification
    counts = {slot: revenue.count_pairs(slot, c.pair_revenue) for slot in ("now", "ago")}
    covered = {slot: slot in revenue.slots_with_rows for slot in ("now", "ago")}
    if any(covered[s] and counts[s] < c.min_pairs for s in counts):
        return str(c.otherwise)
    if all(covered.values()):
        return str(c.track)
    return None


def choose_segment(
    profile: Profile, rules: Edition, month: Month, revenue: Aggregate | None
) -> tuple[str, list[Notice]]:
    """The market (2022) or track (2023) to score with, and a notice when it was derived.

    A missing market, or a track that neither the profile nor the records give, is an InputError
    (``scoring.missing_market``, ``scoring.missing_track``; ``scoring.track_replaces_market`` when
    a 2022 profile gives a market: tracks are not guessed from markets)."""
    if rules.segment_kind == "market":
        if profile.market is None:
            known = ", ".join(rules.markets)
            raise InputError(
                f"the market is missing ({known})",
                code="scoring.missing_market",
                params={"known": known},
                source=profile.source,
                field="market",
            )
        return check_segment(profile.market, "market", source=profile.source), []
    if profile.track is not None:
        return check_segment(profile.track, "track", source=profile.source), []
    c = rules.classification
    if revenue is not None and c is not None:
        track = classify(rules, revenue)
        if track is not None:
            params = {
                "track": track,
                "track_label": f"scoring.market.{track}",
                "needs_label": f"scoring.market.{c.track}",
                "above_label": f"scoring.above.{c.pair_revenue.comparison}",
                "now": revenue.count_pairs("now", c.pair_revenue),
                "ago": revenue.count_pairs("ago", c.pair_revenue),
                "pairs": c.min_pairs,
                "amount": c.pair_revenue.amount,
                "month": str(month),
                "ago_month": str(month.shift(-rules.comparison_months)),
            }
            return track, [Notice("track_from_records", params)]
    params = {"known": ", ".join(rules.markets), "edition": rules.id, "months": str(rules.comparison_months)}
    if c is not None:  # the texts name the tracks, the amount and the comparison in the person's language
        params.update(pairs=str(c.min_pairs), amount_number=str(c.pair_revenue.amount),
                      track_label=f"scoring.market.{c.track}",
                      otherwise_label=f"scoring.market.{c.otherwise}",
                      above_label=f"scoring.above.{c.pair_revenue.comparison}")
    if profile.market is not None:
        raise InputError(
            f"the market '{profile.market}' was replaced by tracks ({params['known']}): give the track",
            code="scoring.track_replaces_market",
            params={**params, "market": profile.market,
                    **({"market_label": f"scoring.market.{profile.market}"}
                       if catalog().has(f"scoring.market.{profile.market}") else {})},
            source=profile.source,
            field="track",
        )
    raise InputError(
        f"the track is missing ({params['known']})",
        code="scoring.missing_track",
        params=params,
        source=profile.source,
        field="track",
    )


def choose(profile: Profile, today: date | None, edition: str | None) -> tuple[Edition, Month, str]:
    """The evaluated month, the edition for it, and the market or track (an InputError if missing)."""
    rules, month = choose_edition(profile, today, edition)
    revenue = revenue_of(profile, rules, month)
    segment, _ = choose_segment(profile, rules, month, revenue)
    return rules, month, segment


def revenue_of(profile: Profile, rules: Edition, month: Month) -> Aggregate | None:
    src = profile.records.get("revenue")
    return aggregate_revenue(src, rules, month) if src is not None else None
