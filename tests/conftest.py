"""Shared fixtures. The official schemas the tests validate against are the project's own copies in
``config/schemas/`` (origin and licence in ``config/schemas/SOURCES.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# The real app over HTTP with a fake Bot Framework connector, and a throwaway PostgreSQL server
# (started only when a test asks for it), for every test folder.
pytest_plugins = ["tests.support.fixtures", "tests.support.postgres"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "config" / "schemas"

# Property tests assert results, not timings: hypothesis's default 200 ms deadline per example failed
# them on a busy machine (several test runs share two cores).
settings.register_profile("partnerbot", deadline=None)
settings.load_profile("partnerbot")


def load_schema(name: str) -> Any:
    """One of the official JSON schemas kept in ``config/schemas`` (a missing one fails the test)."""
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _no_terminal_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output does not depend on who runs the tests: pytest-xdist's workers set ``COLUMNS=80``, a
    terminal sets its own; the chat client would wrap its transcripts to it."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.hookimpl(trylast=True)  # after pytest-randomly shuffled them
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (they start server processes) first: on several workers the longest tests
    then run while the short ones fill the gaps, instead of forming a tail at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
