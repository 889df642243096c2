"""The text catalog: every user-facing text exists in English and Dutch, and loading is strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from kernel.errors import InputError
from kernel.files import config_dir
from kernel.texts import Catalog, catalog


def test_every_shipped_text_has_english_and_dutch() -> None:
    cat = Catalog.load(config_dir() / "texts")  # raises if a language or placeholder is missing
    assert cat.keys(), "the catalog is empty"
    for key in cat.keys():  # noqa: SIM118 - Catalog is not a dict
        assert cat.text(key, "en", **_dummy(cat, key)).strip(), f"{key} is empty in English"
        assert cat.text(key, "nl", **_dummy(cat, key)).strip(), f"{key} is empty in Dutch"


def _dummy(cat: Catalog, key: str) -> dict[str, str]:
    import string

    template = cat._texts[key]["en"]
    return {name: "x" for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    ("content", "code", "row"),
    [
        ("a.b:\n  en: Hello\n", "catalog_languages", None),
        ("a.b:\n  en: Hello {name}\n  nl: Hallo\n", "catalog_placeholders", None),
        ("a.b:\n  en: x\n  nl: y\na.b:\n  en: x\n  nl: y\n", "duplicate_key", 4),
        ("a.b:\n  en: x\n  nl: y\n  de: z\n", "catalog_languages", None),
    ],
)
def test_catalog_refuses_incomplete_entries(tmp_path: Path, content: str, code: str, row: int | None) -> None:
    (tmp_path / "t.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        Catalog.load(tmp_path)
    assert err.value.code == code
    assert err.value.source == str(tmp_path / "t.yaml")
    assert err.value.row == row


def test_same_key_in_two_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("k:\n  en: x\n  nl: y\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("k:\n  en: x\n  nl: y\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"also defined in a\.yaml"):
        Catalog.load(tmp_path)


def test_error_renders_in_dutch_with_location() -> None:
    err = InputError("the file does not exist", code="file_not_found", source="p.yaml", row=3, field="x")
    assert err.render("nl", catalog()) == "p.yaml, rij 3, veld 'x': het bestand bestaat niet"
    assert str(err) == "p.yaml, row 3, field 'x': the file does not exist"
    assert catalog().text("error.where.row", "en", row=7) == "row 7"


@pytest.mark.parametrize(("rows", "lang", "shown"), [
    (1, "en", "(1 row)"), (2, "en", "(2 rows)"), (1, "nl", "(1 rij)"), (2, "nl", "(2 rijen)")])
def test_counts_in_notices_take_the_languages_plural(rows: int, lang: str, shown: str) -> None:
    from scoring.results import Notice

    assert shown in Notice("workload_without_rate", {"workload": "Teams", "rows": rows}).render(lang)
