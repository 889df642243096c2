"""The one place where :mod:`scoring` reads files: rule editions, text catalogs and input files.

YAML is read strictly: a duplicate key is an error naming the file, line and key (PyYAML would
silently keep the last one).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import os
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from scoring.errors import InputError

LANGUAGES = ("en", "nl")


def config_dir() -> Path:
    """``config/`` beside the packages; ``PARTNERBOT_CONFIG_DIR`` overrides it (tests, deployments)."""
    override = os.environ.get("PARTNERBOT_CONFIG_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "config"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in result:
            raise InputError(
                f"duplicate key '{key}'",
                code="duplicate_key",
                params={"key": key},
                row=key_node.start_mark.line + 1,
                field=str(key),
            )
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """PyYAML raises a bare ValueError for an impossible date such as 2022-13-01; name the line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise InputError(
            f"'{node.value}' is not a valid date",
            code="bad_yaml",
            params={"problem": f"'{node.value}' is not a valid date"},
            row=node.start_mark.line + 1,
        ) from None


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML (or JSON, which is YAML) text strictly; errors name ``source`` and the line."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except InputError as err:
        raise err.at(source=source) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise InputError(
            f"not valid YAML: {err.problem}",
            code="bad_yaml",
            params={"problem": str(err.problem)},
            source=source,
            row=(mark.line + 1) if mark else None,
        ) from None
    except yaml.YAMLError as err:
        raise InputError(f"not valid YAML: {err}", code="bad_yaml", params={"problem": str(err)},
                         source=source) from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", code="file_not_found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", code="not_a_file", source=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", code="not_text", source=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", code="unreadable",
                         params={"reason": err.strerror}, source=str(path)) from None


@contextlib.contextmanager
def open_csv(path: Path) -> Iterator[Iterator[list[str]]]:
    """The rows of a CSV file (UTF-8, a BOM is fine) as lists of text, read one at a time.

    Used for large record exports: nothing is held in memory but the current row. A file that cannot
    be opened is an :class:`InputError` naming it; CSV syntax errors surface as ``csv.Error`` while
    iterating (the caller knows the row).
    """
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", code="file_not_found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", code="not_a_file", source=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", code="unreadable",
                         params={"reason": err.strerror}, source=str(path)) from None
    with handle:
        yield csv.reader(handle)


def load_yaml_file(path: Path) -> Any:
    return parse_yaml(read_text(path), str(path))


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
