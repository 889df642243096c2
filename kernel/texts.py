"""User-facing texts in English and Dutch: the languages and the text catalog of ``config/texts``."""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file

LANGUAGES = ("en", "nl")


def language_from_locale(locale: str | None) -> str:
    """``nl`` for any Dutch locale (``nl``, ``nl-NL``, ``nl-BE``), else ``en``."""
    return "nl" if (locale or "").lower().replace("_", "-").split("-")[0] == "nl" else "en"


class Catalog:
    """User-facing texts in English and Dutch, from ``config/texts/*.yaml``.

    Each file maps a dotted key to ``{en: ..., nl: ...}``; texts are ``str.format`` templates.
    Loading refuses a key defined twice (in one file or across files), a missing or unknown
    language, and templates whose placeholders differ between the languages.
    """

    def __init__(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        self._texts = {k: dict(v) for k, v in texts.items()}

    @classmethod
    def load(cls, folder: Path) -> Catalog:
        merged: dict[str, dict[str, str]] = {}
        origin: dict[str, str] = {}
        for path in sorted(folder.glob("*.yaml")):
            data = load_yaml_file(path)
            if data is None:
                continue
            if not isinstance(data, dict):
                raise InputError("a text catalog must be a mapping of keys to {en, nl}",
                                 code="catalog_shape", source=str(path))
            for key, entry in data.items():
                if key in merged:
                    raise InputError(f"text key '{key}' is also defined in {origin[key]}",
                                     code="catalog_duplicate", params={"key": key, "other": origin[key]},
                                     source=str(path), field=str(key))
                if not isinstance(entry, dict) or set(entry) != set(LANGUAGES) or not all(
                    isinstance(v, str) for v in entry.values()
                ):
                    raise InputError(
                        f"text key '{key}' must have exactly the languages {', '.join(LANGUAGES)} as text",
                        code="catalog_languages", params={"key": key}, source=str(path), field=str(key))
                fields = {lang: _placeholders(text) for lang, text in entry.items()}
                if fields["en"] != fields["nl"]:
                    raise InputError(f"text key '{key}' uses different placeholders in en and nl",
                                     code="catalog_placeholders", params={"key": key},
                                     source=str(path), field=str(key))
                merged[str(key)] = entry
                origin[str(key)] = path.name
        return cls(merged)

    def has(self, key: str) -> bool:
        return key in self._texts

    def keys(self) -> list[str]:
        return sorted(self._texts)

    def text(self, key: str, lang: str, /, **params: Any) -> str:
        """The text for ``key`` in ``lang`` (anything but ``nl`` means English), formatted."""
        entry = self._texts[key]  # a missing key is a programming error: tests check every key
        return entry["nl" if lang == "nl" else "en"].format(**params)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@functools.cache
def catalog() -> Catalog:
    """The catalog of ``config/texts``, loaded once per process."""
    return Catalog.load(config_dir() / "texts")
