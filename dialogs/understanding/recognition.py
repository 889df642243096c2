"""What the recognizer found in a sentence: :class:`Recognition` (intent, score, runners-up, entities)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from scoring.api import Change


@dataclass(frozen=True)
class Recognition:
    """What a sentence asks: the best intent, its score, the runners-up and the entities found."""

    intent: str | None
    score: float
    alternatives: tuple[tuple[str, float], ...]
    entities: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def confident(self) -> bool:
        """Sure enough to answer: the score reaches ``confident``, or it reaches ``confident_floor``
        and is ``confident_margin`` times the runner-up's (a clear lead over the other intents that
        were near at all)."""
        if self.intent is None:
            return False
        if self.score >= self.thresholds.get("confident", 0.4):
            return True
        if not self.alternatives:  # one word of one intent ("enterprise" typed at the track buttons)
            return False
        return (self.score >= self.thresholds.get("confident_floor", 1.0)
                and self.score >= self.thresholds.get("confident_margin", 1.0) * self.alternatives[0][1])

    @property
    def interrupts(self) -> bool:
        """Confident enough to interrupt a guided dialog."""
        return self.intent is not None and self.score >= self.thresholds.get("interrupt", 0.6)

    @property
    def metric(self) -> str | None:
        value = self.entities.get("metric")
        return str(value) if value else None

    @property
    def changes(self) -> list[Change]:
        return list(self.entities.get("changes", []))

    @property
    def implausible(self) -> list[Change]:
        """Changes with an amount beyond plausibility (``plausible`` in ``entities.yaml``): "150000
        advanced people", "10^50 adds". The answer refuses them instead of computing with them."""
        return list(self.entities.get("implausible", []))

    @property
    def hypothetical(self) -> bool:
        """The sentence asks "what if" rather than telling a fact."""
        return bool(self.entities.get("hypothetical"))

    def best_two(self) -> list[str]:
        """The two most likely intents (for "did you mean" buttons)."""
        ranked = [self.intent] if self.intent else []
        ranked += [name for name, _ in self.alternatives if name not in ranked]
        return [name for name in ranked if name][:2]

    def to_json(self) -> dict[str, Any]:
        entities: dict[str, Any] = {}
        for key, value in self.entities.items():
            if key in ("changes", "implausible"):
                entities[key] = [c.to_json() for c in value]
            elif key == "numbers":
                entities[key] = [json_number(v) for v in value]
            else:
                entities[key] = value
        return {"intent": self.intent, "score": round(self.score, 3), "confident": self.confident,
                "alternatives": [{"intent": n, "score": round(s, 3)} for n, s in self.alternatives],
                "entities": entities}


def json_number(value: Decimal) -> int | float | str:
    """A number for JSON: an int or float, or its text ("1E+400") when it is too large for either."""
    if value.is_finite() and value.adjusted() > 15:
        return str(value)
    return int(value) if value == value.to_integral_value() else float(value)
