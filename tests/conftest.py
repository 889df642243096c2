"""Shared fixtures. ``../shared`` (schemas, spec) sits beside every checkout and in CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# The real app over HTTP with a fake Bot Framework connector, for every test folder.
pytest_plugins = ["tests.support.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "schemas").is_dir():
        pytest.skip(f"needs ../shared/schemas beside the checkout ({SHARED} is absent)")
    return SHARED


def load_shared_json(name: str) -> Any:
    path = SHARED / "schemas" / name
    if not path.is_file():
        pytest.skip(f"needs ../shared/schemas/{name} ({path} is absent)")
    return json.loads(path.read_text(encoding="utf-8"))
