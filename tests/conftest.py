"""Shared fixtures. The official schemas the tests validate against are the project's own copies in
``config/schemas/`` (origin and licence in ``config/schemas/SOURCES.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The real app over HTTP with a fake Bot Framework connector, for every test folder.
pytest_plugins = ["tests.support.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "config" / "schemas"


def load_schema(name: str) -> Any:
    """One of the official JSON schemas kept in ``config/schemas`` (a missing one fails the test)."""
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
