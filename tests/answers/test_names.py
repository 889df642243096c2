"""Every id the rule editions use in an answer has a name in both languages: no raw ids in chat."""

from __future__ import annotations

import pytest

from kernel.texts import catalog
from scoring import api


@pytest.mark.parametrize("edition", api.editions(), ids=lambda e: e.id)
def test_every_unit_family_attribution_and_channel_of_an_edition_has_a_name(edition: api.Edition) -> None:
    wanted = {f"answers.rate_unit.{r.unit}" for r in edition.rate_card.values()}
    wanted |= {f"answers.family.{f}" for f in edition.family_attributions}
    wanted |= {f"answers.attribution.{a}" for a in edition.known_attributions}
    wanted |= {f"answers.channel.{c}" for c in edition.channels}
    wanted |= {f"answers.explain.each.{m.unit}" for m in edition.metrics}
    assert sorted(k for k in wanted if not catalog().has(k)) == []
