"""A readable checklist of one offer's co-sell result, in English or Dutch (CLI and plain-text chat)."""

from __future__ import annotations

from kernel.texts import catalog
from scoring.cosell.evaluate import OfferResult
from scoring.cosell.explain import offer_type_name, status_name


def checklist_lines(result: OfferResult, lang: str = "en") -> list[str]:
    """Heading, status, one line per requirement ([x] met, [ ] to do, [?] unknown), next status."""
    cat = catalog()
    lines = [
        cat.text("cosell.cli.offer", lang, offer=result.offer,
                 offer_type=offer_type_name(result.offer_type, lang)),
        "  " + cat.text("cosell.cli.status", lang, status=status_name(result.status, lang)),
    ]
    if result.not_eligible_reason:
        lines.append("  " + cat.text(result.not_eligible_reason, lang,
                                     offer_type=offer_type_name(result.offer_type, lang)))
        return lines
    names = {r.id: r.name(lang) for r in result.requirements}
    for r in result.requirements:
        if r.met is True:
            lines.append("  " + cat.text("cosell.cli.met", lang, requirement=names[r.id]))
        elif r.met is False:
            lines.append("  " + cat.text("cosell.cli.unmet", lang, requirement=names[r.id],
                                         step=r.next_step(lang), role=r.role(lang), link=r.link(lang)))
        else:
            lines.append("  " + cat.text("cosell.cli.pending", lang, requirement=names[r.id],
                                         status=status_name(r.unlocks, lang)))
    if result.next_status is None:
        lines.append("  " + cat.text("cosell.cli.top", lang))
    else:
        lines.append("  " + cat.text("cosell.cli.next", lang, status=status_name(result.next_status, lang),
                                     needs=", ".join(names[r] for r in result.next_status_needs)))
    if result.could_reach != result.status:
        lines.append("  " + cat.text("cosell.cli.could_reach", lang,
                                     status=status_name(result.could_reach, lang)))
    lines += ["  " + cat.text(key, lang) for key in result.notes]
    return lines
