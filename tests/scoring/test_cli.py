"""``partnerbot score`` and ``partnerbot gap`` (RULES.md C.2, C.3)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.cli import main
from tests.support.profiles import CONTOSO

PROFILE = yaml.safe_dump(CONTOSO, sort_keys=False)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "contoso.yaml"
    first.write_text(PROFILE, encoding="utf-8")
    second = tmp_path / "fabrikam.json"
    second.write_text(
        json.dumps(
            {
                "partner": "Fabrikam",
                "market": "other",
                "evaluated_month": "2026-10",
                "rules": "bizapps-2022",
                "metrics": {"advanced_certified_people": 3},
            }
        ),
        encoding="utf-8",
    )
    return first, second


def test_score_json_prints_one_object_per_file_in_order(tmp_path, capsys) -> None:
    first, second = _files(tmp_path)
    assert main(["score", str(first), str(second), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    one, two = (json.loads(line) for line in lines)
    assert (one["partner"], two["partner"]) == ("Contoso Ltd", "Fabrikam")
    assert one["total"] == 51.61 and one["designation_met"] is False and one["rules"] == "bizapps-2022"
    assert one["metrics"][3] == {
        "id": "usage_growth",
        "value": 18.18,
        "points": 18.18,
        "max_points": 30,
        "full_at": 30,
    }
    assert two["designation_met"] is None and "deployments_now" in two["missing_inputs"]


def test_score_without_json_prints_a_table(tmp_path, capsys) -> None:
    first, _ = _files(tmp_path)
    assert main(["score", str(first)]) == 0
    out = capsys.readouterr().out
    assert "Contoso Ltd" in out and "Advanced certifications" in out and "51.61" in out and "6.43" in out
    assert main(["score", str(first), "--lang", "nl"]) == 0
    assert "Geavanceerde certificeringen" in capsys.readouterr().out


def test_gap_json_gives_units_and_a_plan(tmp_path, capsys) -> None:
    first, _ = _files(tmp_path)
    assert main(["gap", str(first), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    adv = next(m for m in data["metrics"] if m["id"] == "advanced_certifications")
    assert adv["units_to_max"] == 4 and adv["units_to_designation"] is None
    assert adv["reason"] == "total_short_at_max"
    assert {s["id"]: s["units"] for s in data["plan"]} == {"advanced_certifications": 4, "deployments": 5}


def test_an_invalid_file_exits_2_with_one_line_naming_file_row_and_field(tmp_path, capsys) -> None:
    first, _ = _files(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "market: larger\nrules: bizapps-2022\nevaluated_month: 2026-10\nrecords:\n  usage: usage.csv\n",
        encoding="utf-8",
    )
    (tmp_path / "usage.csv").write_text(
        "customer,workload,month,units,attribution\nC1,power_apps,2026-10,x,PAL\n", encoding="utf-8"
    )
    assert main(["score", str(first), str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing partial
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert str(tmp_path / "usage.csv") in lines[0] and "row 2" in lines[0] and "field 'units'" in lines[0]
    assert "Traceback" not in captured.err


def test_a_missing_file_exits_2(tmp_path, capsys) -> None:
    assert main(["gap", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml" in capsys.readouterr().err
