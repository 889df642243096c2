"""The "how it works" card names each market's or track's amount from the edition it explains."""

from __future__ import annotations

import json

import pytest

from dialogs.cards.explain import explain_card
from scoring import api


@pytest.mark.parametrize(
    ("edition_id", "names"),
    [
        ("bizapps-2022",
         {"en": ["larger markets", "other markets"], "nl": ["grotere markten", "andere markten"]}),
        ("bizapps-2023", {"en": ["Enterprise track", "SMB track"], "nl": ["Enterprise-track", "SMB-track"]}),
    ],
)
@pytest.mark.parametrize("metric", ["usage_growth", "deployments"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_baseline_and_deployment_minimum_are_named_per_market_or_track(edition_id, names, metric, lang):
    edition = api.get_edition(edition_id)
    text = json.dumps(explain_card(edition, metric, None, lang), ensure_ascii=False)
    amounts = edition.baseline if metric == "usage_growth" else edition.deployment_min
    for segment, name in zip(edition.markets, names[lang], strict=True):
        assert amounts[segment] > 0
        assert f"({name})" in text
    assert "USD 0 " not in text
