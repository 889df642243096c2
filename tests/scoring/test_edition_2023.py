"""The 2023 edition beyond single numbers (RULES-2023.md A′.2, C′): the qualification window from
monthly records, the JSON contract with ``track`` and ``window``, the edition named in words with the
date of Microsoft's source and the product's readings, and ``partnerbot score`` on a 2023 profile."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from kernel.errors import InputError
from kernel.texts import catalog
from scoring.api import (
    Change,
    apply_changes,
    edition_label,
    edition_name,
    edition_readings,
    evaluate,
    parse_profile,
    window_lines,
)

PEOPLE = [{"person": f"I{i}", "certification": "PL-300"} for i in range(20)] + [
    {"person": f"A{i}", "certification": "Solution architect (stated)", "level": "advanced"}
    for i in range(7)
]


def _revenue(month: str, pairs: int) -> list[dict[str, Any]]:
    return [{"customer": f"C{i}", "workload": "sales", "month": month, "subscription": f"S{i}",
             "active": True, "revenue_usd": 2000, "attribution": "CPOR_REVREC", "channel": "CSP"}
            for i in range(pairs)]


def _usage(month: str, units: list[int]) -> list[dict[str, Any]]:
    return [{"customer": f"C{i}", "workload": "business_central", "month": month, "units": u,
             "attribution": "DPOR"} for i, u in enumerate(units)]


# Enterprise track, 20 intermediate (20 points) and 7 advanced people (15 points) in every month.
# August 2026: 5 adds (15), consumption 66,000 against 50,000 (32 % → 30), 6 − 5 deployments (4): 84.
# October 2026: 1 add (3), 51,000 against 50,000 (2 % → 2), 5 − 5 deployments (0 → blocks): 40.
# September, July, June and May 2026 have no rows.
WINDOW: dict[str, Any] = {
    "partner": "Northwind",
    "track": "enterprise",
    "evaluated_month": "2026-10",
    "records": {
        "revenue": _revenue("2026-08", 5) + _revenue("2026-10", 1) + _revenue("2025-08", 0),
        "usage": _usage("2025-08", [10] * 5) + _usage("2026-08", [11] * 6)
        + _usage("2025-10", [10] * 5) + _usage("2026-10", [10] * 5 + [1]),
        "certifications": PEOPLE,
    },
}


def test_the_window_says_in_which_month_the_partner_qualified_and_which_months_lack_data() -> None:
    result = evaluate(parse_profile(WINDOW, "northwind"))
    assert result.edition == "bizapps-2023" and result.track == "enterprise"
    assert result.total == 40 and result.designation_met is False
    found: list[tuple[str, object, object]] = [
        (str(w.month), w.total, w.designation_met) for w in result.window]
    assert found == [("2026-10", 40, False), ("2026-08", 84, True)]
    assert [str(m) for m in result.window_without_data] == ["2026-09", "2026-07", "2026-06", "2026-05"]
    assert window_lines(result, "en") == (
        "qualified in August 2026 (84.00 points), within the qualification window of 6 months",
        "no data for: September 2026, July 2026, June 2026, May 2026")
    assert window_lines(result, "nl")[0] == (
        "gekwalificeerd in augustus 2026 (84,00 punten), binnen het kwalificatievenster van 6 maanden")
    data = result.to_json()
    assert data["track"] == "enterprise" and "market" not in data
    assert data["window"] == [{"month": "2026-10", "total": 40, "designation_met": False},
                              {"month": "2026-08", "total": 84, "designation_met": True}]
    assert data["qualified_in_window"] is True


def test_qualified_now_and_a_summary_profile_names_the_five_months_without_data() -> None:
    profile = {"track": "smb", "evaluated_month": "2026-10", "metrics": {
        "net_customer_adds": 5, "intermediate_certified_people": 5, "advanced_certified_people": 2,
        "consumption_now": 30000, "consumption_12_months_ago": 25000, "deployments_now": 9,
        "deployments_12_months_ago": 4}}
    result = evaluate(parse_profile(profile, "p"))
    assert result.total == 15 + 20 + 15 + 20 + 20 and result.designation_met is True
    assert window_lines(result, "en") == (
        "qualified now (October 2026: 90.00 points)",
        "no data for: September 2026, August 2026, July 2026, June 2026, May 2026")
    assert result.to_json()["qualified_in_window"] is True


def test_the_window_starts_with_september_2023_and_2022_results_carry_none() -> None:
    base = {"track": "smb", "metrics": {"advanced_certified_people": 1}}
    assert evaluate(parse_profile({**base, "evaluated_month": "2023-08"}, "p")).window == ()
    assert len(evaluate(parse_profile({**base, "evaluated_month": "2023-09"}, "p")).window) == 1
    old = evaluate(parse_profile({"market": "larger", "rules": "bizapps-2022", "evaluated_month": "2026-10",
                                  "metrics": {"advanced_certified_people": 1}}, "p"))
    assert "window" not in old.to_json() and old.to_json()["market"] == "larger"


def test_answers_name_the_rules_in_words_with_the_date_of_microsofts_source() -> None:
    assert edition_label("bizapps-2023", "en") == (
        "rules of June 2023, as Microsoft documented them on 13 June 2023; Partner Center is authoritative")
    assert edition_label("bizapps-2023", "nl") == (
        "regels van juni 2023, zoals Microsoft ze op 13 juni 2023 beschreef; Partnercentrum is leidend")
    readings = " ".join(edition_readings("bizapps-2023", "en"))
    assert "counts until it expires" in readings and "from June 2023" in readings
    assert edition_readings("bizapps-2023", "nl") != edition_readings("bizapps-2023", "en")
    assert edition_name("bizapps-2023", "en") == "the rules of June 2023 (Microsoft, 13 June 2023)"
    assert edition_name("bizapps-2023", "nl") == "de regels van juni 2023 (Microsoft, 13 juni 2023)"


def test_a_consumption_below_the_baseline_is_shown_as_money_in_either_language() -> None:
    result = evaluate(parse_profile({"track": "smb", "evaluated_month": "2026-10", "metrics": {
        "consumption_now": 30000, "consumption_12_months_ago": 24000.5}}, "p"))
    notice = next(n for n in result.warnings if n.code == "baseline_not_met")
    assert "(USD 24,000.5) is below the baseline of USD 25,000" in notice.render("en")
    assert "(USD 24.000,5) ligt onder de basislijn van USD 25.000" in notice.render("nl")
    explained = result.metric("usage_growth").explanation
    assert "USD 24.000,5" in explained.render("nl") and "USD 25.000" in explained.render("nl")


def test_the_track_errors_write_the_amount_in_the_readers_language() -> None:
    """The track's rule in an error goes through the locale's number writing: "USD 5,000" /
    "USD 5.000", never "USD 5000"; the comparison month is the edition's window."""
    for profile, code in (({}, "scoring.missing_track"),
                          ({"market": "larger"}, "scoring.track_replaces_market")):
        with pytest.raises(InputError) as caught:
            evaluate(parse_profile({**profile, "evaluated_month": "2026-10"}, "p"))
        assert caught.value.code == code
        english, dutch = caught.value.render("en", catalog()), caught.value.render("nl", catalog())
        assert "5 or more customer/workload pairs above USD 5,000 in both the latest month and 12 " \
            "months before" in english
        assert "5 of meer combinaties van klant en workload boven USD 5.000 in zowel de laatste maand als " \
            "12 maanden eerder" in dutch
        assert "5000" not in english + dutch


def test_a_change_that_leaves_a_count_not_whole_writes_the_value_in_the_readers_language() -> None:
    result = evaluate(parse_profile({"track": "smb", "evaluated_month": "2026-10", "metrics": {
        "deployments_now": 1500, "deployments_12_months_ago": 3}}, "p"))
    with pytest.raises(InputError) as caught:
        apply_changes(result, [Change("deployments", Decimal("0.5"), "add", "count")])
    assert "would be 1,500.5, which is not a whole number" in caught.value.render("en", catalog())
    assert "1.500,5 zijn, en dat is geen heel getal" in caught.value.render("nl", catalog())


def test_partnerbot_score_prints_a_2023_profile_with_its_track_and_window(tmp_path: Path, capsys) -> None:
    path = tmp_path / "northwind.yaml"
    path.write_text(yaml.safe_dump(WINDOW, sort_keys=False), encoding="utf-8")
    assert main(["score", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["rules"], data["track"], data["total"]) == ("bizapps-2023", "enterprise", 40)
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Northwind — Enterprise track, October 2026, rules of June 2023" in out
    assert "bizapps" not in out  # no internal id
    assert "qualified in August 2026 (84.00 points)" in out
    assert main(["score", str(path), "--lang", "nl"]) == 0
    assert "Enterprise-track" in capsys.readouterr().out


def test_the_examples_2023_profile_is_scored_by_the_2023_rules(capsys) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "profile-contoso-2023.yaml"
    assert main(["score", str(example), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rules"] == "bizapps-2023" and data["track"] == "smb"
