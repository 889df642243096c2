"""The recognizer's vocabulary that comes from the rule edition: its workload names and its
certification names (exam codes map to a level through the edition's own list, never a copy)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scoring import api


def workload_names(edition: api.Edition, aliases: Mapping[str, Any]) -> dict[str, list[str]]:
    """Workload id → the names an admin may use: the edition's own names (each part of "Talent/HR"
    too) and the synonyms of ``workload_aliases`` for ids the edition knows."""
    names: dict[str, list[str]] = {}
    listed = [*((w.id, w.name) for w in edition.revenue_workloads.values()),
              *((w.id, w.name) for w in edition.usage_workloads.values()),
              *((r.workload, r.name) for r in edition.rate_card.values())]
    for ident, shown in listed:
        found = names.setdefault(ident, [])
        for name in [shown, shown.replace("/", " ")]:
            if name not in found:
                found.append(name)
    for ident, words in aliases.items():
        if str(ident) in edition.known_workloads:
            names.setdefault(str(ident), []).extend(str(w) for w in words)
    return names


_CERT_PREFIX = re.compile(r"^microsoft certified:\s*", re.IGNORECASE)
_CERT_FAMILY = re.compile(r"^(dynamics 365:?|power platform|power bi|power automate)\s+", re.IGNORECASE)


def certification_names(edition: api.Edition) -> dict[str, list[str]]:
    """Certification id (its first exam code, as typed codes are read) → its names in the edition's
    list: the name without "Microsoft Certified:", and without the product family when three or
    more words remain ("Solution Architect Expert")."""
    names: dict[str, list[str]] = {}
    for cert in edition.certifications:
        ident = cert.exams[0].lower() if cert.exams else cert.name
        name = _CERT_PREFIX.sub("", cert.name)
        found = names.setdefault(ident, [name])
        short = _CERT_FAMILY.sub("", name)
        if short != name and len(short.split()) >= 3:
            found.append(short)
    return names
