"""Reading files: the config folder, strict YAML (and JSON), UTF-8 text and CSV rows.

Every layer reads rule editions, text catalogs, vocabularies and input files through here. YAML is
read strictly: a duplicate key is an error naming the file, line and key (PyYAML would silently keep
the last one). Every failure is an :class:`~kernel.errors.InputError` that names the file.

Reading is bounded: only regular files are read (``/dev/zero``, a FIFO or a terminal would never
end), a text file larger than :data:`MAX_TEXT_BYTES` is refused before it is read, and YAML nested
deeper than :data:`MAX_YAML_DEPTH` is refused (PyYAML would raise ``RecursionError``).
"""

from __future__ import annotations

import contextlib
import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from kernel.errors import InputError

MAX_TEXT_BYTES = 32 * 1024 * 1024
"""Largest YAML, JSON or text file read whole (a profile with 100,000 inline record rows is ~15 MB).
CSV record files are read row by row and have no such limit."""
MAX_YAML_DEPTH = 100
"""Deepest nesting of YAML lists and mappings (partner profiles use fewer than 10 levels)."""


def config_dir() -> Path:
    """``config/`` beside the packages; ``PARTNERBOT_CONFIG_DIR`` overrides it (tests, deployments)."""
    override = os.environ.get("PARTNERBOT_CONFIG_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "config"


_FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (the wheels are), about ten times faster than the
pure-Python one; the constructors below, which make it strict, run the same on both."""


class _StrictLoader(_FAST_SAFE_LOADER):  # type: ignore[valid-type,misc]
    """A safe loader that refuses duplicate mapping keys (nesting depth: :func:`_too_deep`)."""


def _too_deep(value: Any) -> bool:
    """Whether lists and mappings in ``value`` nest more than :data:`MAX_YAML_DEPTH` levels
    (libyaml stops at 1,000 levels by itself; this is the tighter limit, checked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > MAX_YAML_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    # A key written twice is an error; a key that overrides one brought in by a merge (``<<: *base``)
    # is YAML's way of saying "the same, except", so only the keys written here are compared.
    written: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        if key in written:
            raise InputError(
                f"duplicate key '{key}'",
                code="duplicate_key",
                params={"key": key},
                row=key_node.start_mark.line + 1,
                field=str(key),
            )
        written.add(key)
    loader.flatten_mapping(node)  # merged keys first, then the written ones, which win
    return {
        loader.construct_object(key_node, deep=deep): loader.construct_object(value_node, deep=deep)
        for key_node, value_node in node.value
    }


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
    deep = InputError(f"nested more than {MAX_YAML_DEPTH} levels deep", code="too_deep",
                      params={"limit": MAX_YAML_DEPTH}, source=source)
    try:
        value = yaml.load(text, Loader=_StrictLoader)  # a safe loader
        if _too_deep(value):
            raise deep
        return value
    except InputError as err:
        raise err.at(source=source) from None
    except yaml.MarkedYAMLError as err:
        if "maximum nesting depth" in str(err.problem):  # libyaml's own limit, far above ours
            raise deep from None
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
    except (RecursionError, MemoryError):  # a last line of defence: the limits above come first
        raise deep from None


def _open_regular(path: Path, **options: Any) -> Any:
    """``path`` opened for reading, if it is a regular file; :class:`InputError` naming it otherwise."""
    try:
        handle = path.open(**options)
    except FileNotFoundError:
        raise InputError("file not found", code="file_not_found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", code="not_a_file", source=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror}", code="unreadable",
                         params={"reason": err.strerror}, source=str(path)) from None
    try:
        mode = os.fstat(handle.fileno()).st_mode
    except OSError as err:
        handle.close()
        raise InputError(f"cannot read: {err.strerror}", code="unreadable",
                         params={"reason": err.strerror}, source=str(path)) from None
    if stat.S_ISDIR(mode):
        handle.close()
        raise InputError("is a folder, not a file", code="not_a_file", source=str(path))
    if not stat.S_ISREG(mode):  # /dev/zero, a FIFO, a terminal: reading would never end
        handle.close()
        raise InputError("not a regular file", code="not_regular_file", source=str(path))
    return handle


def read_text(path: Path) -> str:
    """The whole UTF-8 text of a regular file of at most :data:`MAX_TEXT_BYTES`."""
    with _open_regular(path, mode="rb") as handle:
        try:
            data: bytes = handle.read(MAX_TEXT_BYTES + 1)
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror}", code="unreadable",
                             params={"reason": err.strerror}, source=str(path)) from None
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB",
            code="too_large",
            params={"limit": f"{MAX_TEXT_BYTES // (1024 * 1024)} MB"},
            source=str(path),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", code="not_text", source=str(path)) from None


@contextlib.contextmanager
def open_csv(path: Path) -> Iterator[Iterator[list[str]]]:
    """The rows of a CSV file (UTF-8, a BOM is fine) as lists of text, read one at a time.

    Used for large record exports: nothing is held in memory but the current row. A file that cannot
    be opened is an :class:`InputError` naming it; CSV syntax errors surface as ``csv.Error`` while
    iterating (the caller knows the row).
    """
    handle = _open_regular(path, newline="", encoding="utf-8-sig")
    with handle:
        yield csv.reader(handle)


def load_yaml_file(path: Path) -> Any:
    return parse_yaml(read_text(path), str(path))
