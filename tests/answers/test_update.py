"""Saving a pending update when the tenant's data is gone, and change data that is not one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from dialogs.answers import Answers, PendingUpdate

Document = dict[str, Any]


class NoData:
    """A partner repository whose tenant has no profile (deleted after the change was shown)."""

    async def load_profile(self, tenant_id: str) -> Document | None:
        return None

    async def update_profile(self, tenant_id: str, change: Callable[[Document | None], Document]) -> Document:
        return change(None)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "There is no partner data stored yet"), ("nl", "Er zijn nog geen partnergegevens opgeslagen")],
)
async def test_saving_without_stored_data_says_so_in_the_users_language(lang: str, said: str) -> None:
    answers = Answers(NoData(), lambda: date(2026, 11, 23))  # type: ignore[arg-type]
    (reply,) = await answers.apply_update("t1", PendingUpdate({"deployments_now": "12"}), lang)
    assert reply.text.startswith(said) and "no profile stored" not in reply.text


@pytest.mark.parametrize(
    "change",
    [
        {"values": {"advanced_certified_people": "abc"}},
        {"values": {"advanced_certified_people": "NaN"}},
        {"values": {"no_such_key": "3"}},
        {"values": {"deployments_now": "3"}, "market": "mars"},
        {"values": {"deployments_now": "3"}, "before": ["x"]},
        {"values": "3"},
    ],
)
def test_a_change_that_is_not_one_is_not_read(change: dict[str, Any]) -> None:
    assert PendingUpdate.from_json(change) is None
