"""The recognizer's vocabulary that comes from the rule edition: its workload names and its
certification names (exam codes map to a level through the edition's own list, never a copy)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scoring import api


def workload_names(edition: api.Edition, aliases: Mapping[str, Any]) -> dict[str, list[str]]:
    """Workload id → the names an admin may use: the edition's own names (each part of "Talent/HR"
    too) and the synonyms of ``workload_aliases``. Workloads of other editions are named too, after
    the edition's own: "is Customer Voice still eligible?" under rules that dropped it is a question
    about that workload (the answer says it does not count), not about customers."""
    names: dict[str, list[str]] = {}
    others = [e for e in api.editions() if e.id != edition.id]
    for rules in [edition, *others]:
        listed = [*((w.id, w.name) for w in rules.revenue_workloads.values()),
                  *((w.id, w.name) for w in rules.usage_workloads.values()),
                  *((r.workload, r.name) for r in rules.rate_card.values())]
        for ident, shown in listed:
            if rules is not edition and ident in edition.known_workloads:
                continue
            found = names.setdefault(ident, [])
            for name in [shown, shown.replace("/", " ")]:
                if name not in found:
                    found.append(name)
    for ident, words in aliases.items():
        if str(ident) in names or str(ident) in edition.known_workloads:
            found = names.setdefault(str(ident), [])
            found.extend(str(w) for w in words if str(w) not in found)
    return names


def workload_name(edition: api.Edition, ident: str) -> str:
    """The name of workload ``ident`` in ``edition``, else in the edition that lists it."""
    for rules in [edition, *api.editions()]:
        listed = (rules.revenue_workloads.get(ident), rules.usage_workloads.get(ident))
        for shown in (*(w.name for w in listed if w),
                      *(r.name for r in rules.rate_card.values() if r.workload == ident)):
            return shown
    return ident


_CERT_PREFIX = re.compile(r"^microsoft certified:\s*", re.IGNORECASE)
_CERT_FAMILY = re.compile(r"^(dynamics 365:?|power platform|power bi|power automate)\s+", re.IGNORECASE)
_CERT_LEVEL = re.compile(r"\s+(associate|expert|specialty)$", re.IGNORECASE)


def certification_names(edition: api.Edition) -> dict[str, list[str]]:
    """Certification id (its first exam code, as typed codes are read) → its names in the edition's
    list: the name without "Microsoft Certified:", and without the product family when three or
    more words remain ("Solution Architect Expert"); each of those also without its level word
    when three or more words remain and no other certification has that name ("Lisa got her
    Finance Functional Consultant cert"; "Supply Chain Management Functional Consultant" names
    MB-330 and MB-335 alike, so it names neither)."""
    names: dict[str, list[str]] = {}
    for cert in edition.certifications:
        ident = cert.exams[0].lower() if cert.exams else cert.name
        name = _CERT_PREFIX.sub("", cert.name)
        found = names.setdefault(ident, [name])
        short = _CERT_FAMILY.sub("", name)
        if short != name and len(short.split()) >= 3:
            found.append(short)
    bare: dict[str, set[str]] = {}
    for ident, found in names.items():
        for name in found:
            without = _CERT_LEVEL.sub("", name)
            if without != name and len(without.split()) >= 3:
                bare.setdefault(without.lower(), set()).add(ident)
    for ident, found in names.items():
        found.extend(name for name in (_CERT_LEVEL.sub("", n) for n in list(found))
                     if bare.get(name.lower()) == {ident} and name not in found)
    return names
