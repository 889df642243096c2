"""Rule editions are data: loaded strictly, chosen by date or by name, and explainable."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kernel.errors import InputError
from kernel.files import config_dir
from scoring.api import Month, edition_for, editions, get_edition
from scoring.editionfile import load_edition

SEED = config_dir() / "pcs" / "2022-bizapps.yaml"


def _copy(tmp_path: Path, change: tuple[str, str] | None = None, append: str = "") -> Path:
    folder = tmp_path / "pcs"
    shutil.copytree(SEED.parent, folder)
    path = folder / SEED.name
    text = path.read_text(encoding="utf-8")
    if change:
        assert change[0] in text
        text = text.replace(change[0], change[1], 1)
    path.write_text(text + append, encoding="utf-8")
    return path


def test_the_2022_edition_holds_the_seed_numbers() -> None:
    rules = get_edition("bizapps-2022")
    assert rules.min_total == 70
    assert rules.full_at("advanced_certifications", "larger") == 7
    assert rules.baseline == {"larger": 100000, "other": 50000}
    assert rules.deployment_min == {"larger": 10000, "other": 5000}
    assert rules.rate_card["customer_insights"].rate == pytest.approx(0.2)
    assert rules.revenue_workloads["fo_bundle"].name == "F&O Bundle"
    assert "CPOR_REVREC" not in rules.family_attributions["power_platform"]
    assert rules.unrated_usage_workloads == ("core_hr", "portals", "retail")
    assert rules.certification_level("pl-600") == "advanced"
    assert rules.certification_level("MB-210") == "intermediate"
    assert rules.certification_level("AZ-104") is None
    assert all(rules.section_sources.values())


def test_the_edition_in_force_is_chosen_by_the_evaluated_month() -> None:
    assert edition_for(Month(2022, 10)).id == "bizapps-2022"
    assert edition_for(Month(2023, 5)).id == "bizapps-2022"
    assert edition_for(Month(2023, 6)).id == "bizapps-2023"
    assert edition_for(Month(2026, 10)).id == "bizapps-2023"
    assert [e.id for e in editions()] == sorted(
        (e.id for e in editions()), key=lambda i: get_edition(i).effective_from
    )


@pytest.mark.parametrize(
    ("change", "append", "code", "field"),
    [
        (None, "surprise: 1\n", "scoring.edition_unknown_key", "surprise"),
        (
            ("effective_from: 2022-10-01", "effective_from: 1 October 2022"),
            "",
            "scoring.edition_bad_date",
            "effective_from",
        ),
        (
            (
                "    max_points: 15\n    full_at: {larger: 15, other: 5}",
                "    max_points: 15\n    full_at: {larger: 15, other: 5}\n    bonus: 3",
            ),
            "",
            "scoring.edition_unknown_key",
            "metrics.net_customer_adds.bonus",
        ),
        (
            ("  baseline: {larger: 100000, other: 50000}", "  baseline: {larger: 100000}"),
            "",
            "scoring.edition_missing_key",
            "usage.baseline.other",
        ),
        (
            (
                "    power_bi_premium: {name: Power BI Premium, rate: 20,",
                "    power_bi_premium: {name: Power BI Premium, rate: lots,",
            ),
            "",
            "scoring.edition_invalid",
            "usage.rate_card.power_bi_premium.rate",
        ),
        (
            (
                "    sales: {name: Sales, family: dynamics_365}",
                "    sales: {name: Sales, family: dynamics_366}",
            ),
            "",
            "scoring.edition_invalid",
            "revenue.workloads.sales.family",
        ),
    ],
)
def test_the_loader_refuses_bad_editions_naming_file_and_key(tmp_path, change, append, code, field) -> None:
    path = _copy(tmp_path, change, append)
    with pytest.raises(InputError) as caught:
        load_edition(path)
    assert caught.value.code == code
    assert caught.value.field == field
    assert caught.value.source == str(path)
    assert field in str(caught.value)


def test_an_impossible_date_is_refused_with_its_line(tmp_path) -> None:
    path = _copy(tmp_path, ("effective_from: 2022-10-01", "effective_from: 2022-13-01"))
    with pytest.raises(InputError) as caught:
        load_edition(path)
    assert (caught.value.code, caught.value.source) == ("bad_yaml", str(path))
    assert "2022-13-01" in str(caught.value)
    assert isinstance(caught.value.row, int)


def test_a_duplicate_key_is_refused_with_its_line(tmp_path) -> None:
    path = _copy(tmp_path, ("designation:\n", "designation:\n  min_total: 60\n"))
    with pytest.raises(InputError) as caught:
        load_edition(path)
    assert caught.value.code == "duplicate_key"
    assert caught.value.field == "min_total"
    assert caught.value.source == str(path)
    assert isinstance(caught.value.row, int)


def test_a_certification_listed_at_both_levels_is_refused(tmp_path) -> None:
    path = _copy(tmp_path)
    certs = path.parent / "certifications" / "2022-bizapps.yaml"
    certs.write_text(
        certs.read_text(encoding="utf-8").replace("exams: [MB-700]", "exams: [MB-700, MB-210]"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="both levels"):
        load_edition(path)


def test_a_later_edition_is_picked_by_date_without_changing_the_2022_one(tmp_path, monkeypatch) -> None:
    import scoring.editions as editions_module
    from scoring.api import evaluate, parse_profile

    folder = tmp_path / "config"
    shutil.copytree(config_dir(), folder)
    later = (folder / "pcs" / "2022-bizapps.yaml").read_text(encoding="utf-8")
    later = (
        later.replace("id: bizapps-2022", "id: bizapps-2025")
        .replace("effective_from: 2022-10-01", "effective_from: 2025-01-01")
        .replace(
            "    max_points: 15\n    full_at: {larger: 7, other: 3}",
            "    max_points: 15\n    full_at: {larger: 5, other: 3}",
        )
    )
    (folder / "pcs" / "2025-bizapps.yaml").write_text(later, encoding="utf-8")
    monkeypatch.setenv("PARTNERBOT_CONFIG_DIR", str(folder))
    editions_module.all_editions.cache_clear()
    try:
        data = {"market": "larger", "metrics": {"advanced_certified_people": 5}}
        new = evaluate(parse_profile({**data, "evaluated_month": "2025-03"}, "p"))
        old = evaluate(parse_profile({**data, "evaluated_month": "2023-05"}, "p"))
        named = evaluate(parse_profile({**data, "evaluated_month": "2025-03"}, "p"), edition="bizapps-2022")
        assert new.edition == "bizapps-2025"
        assert new.metric("advanced_certifications").points == 15
        assert old.edition == named.edition == "bizapps-2022"
        assert named.metric("advanced_certifications").points == old.metric("advanced_certifications").points
        assert get_edition("bizapps-2025").effective_from == date(2025, 1, 1)
    finally:
        editions_module.all_editions.cache_clear()
