"""How near a sentence is to each intent's examples: TF-IDF cosine over words and word pairs of the
placeholder sequences (``{metric}``, ``{number}`` …), so one example covers every metric. An intent's
similarity is its best example's. :class:`NaiveBayes` says how likely each intent is given all examples
together, which orders intents whose nearest examples are about as near."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence


def features(sequence: Sequence[str]) -> Counter[str]:
    """The words and word pairs of a placeholder sequence, counted."""
    feats: Counter[str] = Counter(sequence)
    feats.update(f"{a} {b}" for a, b in itertools.pairwise(sequence))
    return feats


class ExampleIndex:
    """The examples of every intent as weighted feature vectors."""

    def __init__(self, examples: Iterable[tuple[str, Sequence[str]]]) -> None:
        counted = [(name, features(sequence)) for name, sequence in examples]
        documents = len(counted)
        df: Counter[str] = Counter()
        for _, feats in counted:
            df.update(set(feats))
        self.idf = {f: math.log((1 + documents) / (1 + n)) + 1 for f, n in df.items()}
        self.unknown_idf = math.log(1 + documents) + 1
        self.names = [name for name, _ in counted]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        """Each feature's examples and its weight in them: only examples sharing a feature are scored."""
        for k, (_, feats) in enumerate(counted):
            for f, v in self.weigh(feats).items():
                self.postings.setdefault(f, []).append((k, v))

    def weigh(self, feats: Counter[str]) -> dict[str, float]:
        vector = {f: (1 + math.log(n)) * self.idf.get(f, self.unknown_idf) for f, n in feats.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {f: v / norm for f, v in vector.items()}

    def nearest(self, sequence: Sequence[str]) -> dict[str, float]:
        """Each intent's best similarity with ``sequence`` (intents with none are left out)."""
        sims: dict[int, float] = {}
        for f, v in self.weigh(features(sequence)).items():
            for k, w in self.postings.get(f, ()):
                sims[k] = sims.get(k, 0.0) + v * w
        best: dict[str, float] = {}
        for k, sim in sims.items():
            name = self.names[k]
            if sim > best.get(name, 0.0):
                best[name] = sim
        return best


class NaiveBayes:
    """A multinomial naive Bayes model of the intents over the same features: how likely each intent
    is given every example, a second opinion beside the nearest example."""

    def __init__(self, examples: Iterable[tuple[str, Sequence[str]]], smoothing: float = 0.1) -> None:
        counts: dict[str, Counter[str]] = {}
        prior: Counter[str] = Counter()
        for name, sequence in examples:
            counts.setdefault(name, Counter()).update(features(sequence))
            prior[name] += 1
        vocabulary = {f for c in counts.values() for f in c}
        size = len(vocabulary)
        documents = sum(prior.values())
        self.prior = {n: math.log(k / documents) for n, k in prior.items()}
        totals = {n: sum(c.values()) + smoothing * size for n, c in counts.items()}
        self.unseen = {n: math.log(smoothing / totals[n]) for n in counts}
        self.log_p = {n: {f: math.log((v + smoothing) / totals[n]) for f, v in c.items()}
                      for n, c in counts.items()}
        self.vocabulary = vocabulary

    def posterior(self, sequence: Sequence[str], temperature: float = 1.0) -> dict[str, float]:
        """Each intent's probability given ``sequence`` (features never seen in any example are left out)."""
        feats = {f: v for f, v in features(sequence).items() if f in self.vocabulary}
        if not feats:
            return {}
        logs = {n: self.prior[n] + sum(v * self.log_p[n].get(f, self.unseen[n]) for f, v in feats.items())
                for n in self.prior}
        top = max(logs.values())
        weights = {n: math.exp((lp - top) / temperature) for n, lp in logs.items()}
        total = sum(weights.values())
        return {n: w / total for n, w in weights.items()}
