"""No text states a rule number: thresholds, maximum points, amounts, counts and windows reach the
texts through placeholders filled from the edition in force, so a new edition cannot contradict them.

Every number written in ``config/texts`` (English and Dutch, placeholders and web addresses left out;
``1,500`` and ``1.500`` read as 1500) is compared with the numbers of every rule edition, score and
co-sell. A number that equals one is an error unless it is listed in :data:`ALLOWED` with the reason
it is not a rule (an example a person types, a product name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from kernel.files import config_dir
from kernel.texts import Catalog
from scoring import api, cosell

ALLOWED: dict[tuple[str, int], str] = {
    ("answers.whatif.nothing", 2): "an example of a question a person types",
    ("answers.whatif.nothing", 3): "an example of a question a person types",
    ("answers.update.nothing", 5): "an example of a sentence a person types",
    ("answers.update.nothing", 12): "an example of a sentence a person types",
    ("answers.help.examples", 2): "an example of a question a person types",
    ("answers.help.examples", 12): "an example of a sentence a person types",
    ("bot.manifest.command.what_if.title", 2): "an example of a question a person types",
    ("bot.manifest.command.what_if.description", 2): "an example of a question a person types",
    ("error.guided_not_a_number", 12): "an example of a number a person types",
    ("error.scoring.change_percent_count", 10): "an example of a change a person types",
    ("error.scoring.bad_month", 10): "an example month (2026-10)",
    ("error.guided_offer_name_format", 1): "a list item ('1. ') that an offer name cannot start with",
    ("scoring.reading.documented", 3): "a date (3 October 2022)",
    ("answers.explain.usage_growth", 100): "× 100 turns a share into a percentage",
    ("scoring.explain.usage_growth", 100): "× 100 turns a share into a percentage",
    ("answers.family.dynamics_365", 365): "the product name Dynamics 365",
    ("answers.attribution.CSP_T1", 1): "the name of the attribution CSP tier 1",
    ("answers.attribution.CSP_T2", 2): "the name of the attribution CSP tier 2",
    ("chat.help", 1): "how the text client numbers buttons",
    ("chat.help", 2): "how the text client numbers buttons",
}
"""(text key, number) → why that number in that text is not a rule number."""

WORDS = {12: re.compile(r"\btwelve\b|\btwaalf\b|\b(a|one|een) year\b|\been jaar\b", re.IGNORECASE)}
"""Rule numbers written in words: "twelve months ago", "the month a year before" (a 12-month window)."""

NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d])")


def rule_numbers() -> dict[int, list[str]]:
    """Every whole number some rule edition states, with where: ``{1500: ["bizapps-2022 pair minimum"]}``."""
    found: dict[int, list[str]] = {}

    def add(value: Fraction | Decimal | int | None, where: str) -> None:
        if value is not None and Fraction(value).denominator == 1:
            found.setdefault(int(value), []).append(where)

    for rules in api.editions():
        add(rules.min_total, f"{rules.id} minimum total")
        add(rules.min_points_per_metric, f"{rules.id} minimum points per metric")
        add(api.max_total(rules), f"{rules.id} maximum total")
        add(rules.comparison_months, f"{rules.id} comparison months")
        add(rules.qualification_months, f"{rules.id} qualification months")
        add(rules.monthly_data_available_day, f"{rules.id} monthly data day")
        add(rules.certification_delay_days, f"{rules.id} certification delay")
        for metric in rules.metrics:
            add(metric.max_points, f"{rules.id} {metric.id} maximum points")
            for segment, full in metric.full_at.items():
                add(full, f"{rules.id} {metric.id} full at ({segment})")
        for segment in rules.markets:
            add(rules.pair_minimum[segment].amount, f"{rules.id} pair revenue ({segment})")
            add(rules.baseline[segment], f"{rules.id} baseline ({segment})")
            add(rules.deployment_min[segment], f"{rules.id} deployment minimum ({segment})")
        if rules.classification is not None:
            add(rules.classification.min_pairs, f"{rules.id} classification pairs")
            add(rules.classification.pair_revenue.amount, f"{rules.id} classification revenue")
    for edition in cosell.load_editions():
        for requirement in edition.requirements:
            add(requirement.threshold_usd, f"{edition.id} {requirement.id} threshold")
            add(requirement.window_months, f"{edition.id} {requirement.id} window months")
            add(requirement.azure_share_percent, f"{edition.id} {requirement.id} Azure share")
    return found


def numbers_in(text: str) -> Iterator[int]:
    text = re.sub(r"\{[^}]*\}", " ", text)  # placeholders
    text = re.sub(r"https?://\S+|\]\([^)]*\)", " ", text)  # web addresses
    for match in NUMBER.finditer(text):
        yield int(re.sub(r"[.,]", "", match.group(1)))
    for number, words in WORDS.items():
        if words.search(text):
            yield number


def test_no_text_states_a_number_of_a_rule_edition() -> None:
    rules = rule_numbers()
    cat = Catalog.load(config_dir() / "texts")
    found = []
    for key in cat.keys():  # noqa: SIM118 - Catalog is not a dict
        for lang in ("en", "nl"):
            for number in numbers_in(cat._texts[key][lang]):
                if number in rules and (key.split("@")[0], number) not in ALLOWED:
                    found.append(f"{key} ({lang}): {number} = {', '.join(rules[number][:2])}")
    assert not found, "texts that state a rule number (use a placeholder):\n" + "\n".join(sorted(set(found)))


def test_the_check_sees_a_stated_rule_number() -> None:
    """The scan finds what it must find: "USD 1,500", "1.500", "7 advanced", "of 100", the 12-month
    window in figures and in words, and the co-sell edition's "more than 50%"."""
    rules = rule_numbers()
    for text, number in (("more than USD 1,500", 1500), ("meer dan USD 1.500", 1500),
                         ("7 advanced certified people", 7), ("{total} of 100 points", 100),
                         ("Consumption 12 months ago", 12), ("de afgelopen 12 maanden", 12),
                         ("leaves the 12-month window", 12), ("twelve months ago", 12),
                         ("twaalf maanden geleden", 12), ("the same month a year before", 12),
                         ("more than 50% of the infrastructure", 50)):
        assert number in set(numbers_in(text)) and number in rules, text
    assert not set(numbers_in("{threshold} of revenue over the last {months} months, see https://aka.ms/x/1500"))


def test_every_allowed_number_is_still_in_its_text() -> None:
    cat = Catalog.load(config_dir() / "texts")
    for key, number in ALLOWED:
        assert cat.has(key), key
        assert number in set(numbers_in(cat._texts[key]["en"])) | set(numbers_in(cat._texts[key]["nl"])), key
