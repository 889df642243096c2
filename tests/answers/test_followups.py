"""Follow-ups said as admins say them: a new amount alone, another metric in place of the what-if's,
the same changes a month on, a metric with "too", "how does that look for …", why-questions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dialogs.understanding import Context, follow_up
from kernel import clock
from scoring import api

A, M, D, N, U = ("advanced_certifications", "intermediate_certifications", "deployments", "net_customer_adds",
                 "usage_growth")


def _changes(context: Context, text: str) -> tuple[str | None, list[tuple[str, Decimal, str, str]]]:
    got = follow_up(context, text)
    return got.intent, [(c.metric, c.amount, c.mode, c.unit) for c in got.changes]


@pytest.mark.parametrize("text", ["make it 5", "maak er 5 van", "say 5", "zeg maar 5",
                                  "no wait, make it 5", "nee wacht, doe maar 5",  # after a comment
                                  "and with 5 of them?", "en met 5 daarvan?",  # "them" points back
                                  "actually, 5", "eigenlijk 5", "5?"])  # a number alone corrects it
def test_a_new_amount_alone_is_the_same_change_with_that_amount(text: str) -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)),))
    assert _changes(context, text) == ("whatif", [(D, Decimal(5), "add", "count")])


@pytest.mark.parametrize("text", ["make it 4 deployments", "maak er 4 implementaties van",
                                  "nee, doe maar 4 implementaties", "go with 4 deployments"])
def test_choosing_an_amount_of_another_metric_is_the_same_kind_of_change_not_an_update(text: str) -> None:
    context = Context("whatif", A, changes=(api.Change(A, Decimal(2)),))
    assert _changes(context, text) == ("whatif", [(D, Decimal(4), "add", "count")])
    stored = follow_up(context, "make it 4 deployments and save that")  # a request to store is one
    assert (stored.intent, [(c.metric, c.amount, c.mode) for c in stored.changes]) == (
        "update", [(D, Decimal(4), "set")])


def test_a_new_percentage_alone_keeps_the_percentage() -> None:
    context = Context("whatif", U, changes=(api.Change(U, Decimal(10), "add", "percent"),))
    assert _changes(context, "maak er 25% van") == ("whatif", [(U, Decimal(25), "add", "percent")])


@pytest.mark.parametrize("text", ["swap deployments for customers",
                                  "same thing for customers rather than deployments",
                                  "reken hetzelfde door voor klanten in plaats van implementaties"])
def test_of_two_metrics_the_one_the_what_if_was_not_about_is_meant(text: str) -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(3)),))
    assert _changes(context, text) == ("whatif", [(N, Decimal(3), "add", "count")])


@pytest.mark.parametrize("text", [
    "and a month later, would those changes still get us there?",
    "en een maand later, is dat met die wijzigingen nog steeds genoeg voor de 70?"])
def test_the_same_changes_a_month_on(text: str) -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)), api.Change(N, Decimal(1))))
    got = follow_up(context, text)
    assert (got.intent, got.entities.get("period")) == ("whatif", "next_month")
    assert [(c.metric, c.amount) for c in got.changes] == [(D, Decimal(2)), (N, Decimal(1))]


@pytest.mark.parametrize(("context", "text", "intent", "metric"), [
    (Context("gap", A), "customers too?", "gap", N),
    (Context("forecast"), "intermediate as well?", "forecast", M),
    (Context("score", D), "gebruiksgroei ook?", "score", U),
    (Context("gap", D), "oké, en de klanten?", "gap", N),
    (Context("gap", D), "ok and how does that look for usage growth?", "gap", U),
    (Context("score", U), "en de implementaties, hoe ziet dat eruit?", "score", D),
    (Context("score"), "look at next month", "forecast", None),
    (Context("score", D), "why is it 0?", "explain", D),
    (Context("score", D), "that's strange. what is causing that?", "explain", D),
    (Context("gap", U), "hoe zo?", "explain", U),
    (Context("score", U), "what's pulling it down?", "explain", U),
    (Context("gap", D), "and if we look at the customers?", "gap", N),
    (Context("gap", D), "als we naar de gebruiksgroei kijken?", "gap", U),
    (Context("score", D), "and next month?", "forecast", None),
    (Context("score", D), "and next month for that?", "forecast", D),
    (Context("score"), "and nxt month?", "forecast", None),  # short and chat spellings of next month
    (Context("score"), "en volg maand?", "forecast", None),
    (Context("score"), "and where will it be after this month ends?", "forecast", None),
    (Context("score"), "en straks in de nieuwe maand?", "forecast", None),
    (Context("score", D), "kun je dat toelichten?", "explain", D),
    (Context("score", D), "could you elaborate on that?", "explain", D),
    (Context("score", D), "can you elaborate?", "explain", D),  # asks for more about the answer
    (Context("gap", D), "tell me more", "explain", D),
    (Context("score", D), "licht dat eens toe", "explain", D),
    (Context("gap", D), "vertel eens meer", "explain", D),
    (Context("gap", D), "zelfde voor de klanten", "gap", N),
    (Context("gap", D), "Top. En de klanten?", "gap", N),  # after a comment
    (Context("score", D), "Nice. And next month?", "forecast", None),
])
def test_a_follow_up_asks_the_previous_question_of_what_it_names(context: Context, text: str, intent: str,
                                                                 metric: str | None) -> None:
    got = follow_up(context, text)
    assert (got.intent, got.metric) == (intent, metric)


@pytest.mark.parametrize(("text", "intent"), [("make a plan", "plan"), ("switch to Dutch", "language"),
                                              ("maak een plan", "plan")])
def test_a_request_of_its_own_after_a_what_if_is_that_request(text: str, intent: str) -> None:
    assert follow_up(Context("whatif", D, changes=(api.Change(D, Decimal(2)),)), text).intent == intent


@pytest.mark.parametrize("text", ["now do it for customers", "doe dat nu eens voor de klanten",
                                  "calculate it for customers", "reken het eens door voor de klanten"])
def test_doing_it_for_another_metric_is_the_same_change_of_that_metric(text: str) -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)),))
    assert _changes(context, text) == ("whatif", [(N, Decimal(2), "add", "count")])


@pytest.mark.parametrize("text", ["in January?", "in januari?", "and in jan?", "en in jan?",
                                  "Nice. And what about in January?", "Mooi. En in januari?"])
def test_next_month_by_its_name_alone_after_a_what_if_is_the_same_what_if_then(text: str) -> None:
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)),))
    with clock.fixed(date(2026, 12, 2)):
        got = follow_up(context, text)
        score = follow_up(Context("score"), text)
    assert (got.intent, got.entities.get("period"), [(c.metric, c.amount) for c in got.changes]) == (
        "whatif", "next_month", [(D, Decimal(2))])
    assert score.intent == "forecast"


def test_a_short_month_name_is_a_month_only_after_in_and_only_next_month() -> None:
    """"in jan" in December is January, next month; "Jan" alone may be a colleague, and in June "in jan"
    is no period the bot answers for."""
    context = Context("whatif", D, changes=(api.Change(D, Decimal(2)),))
    with clock.fixed(date(2026, 12, 2)):
        assert follow_up(context, "and Jan?").entities.get("period") is None
        assert follow_up(Context("score"), "and in jan?").intent == "forecast"
    with clock.fixed(date(2027, 1, 10)):
        assert follow_up(Context("score"), "and in feb?").intent == "forecast"
    with clock.fixed(date(2027, 6, 1)):
        assert follow_up(context, "and in jan?").entities.get("period") is None


def test_a_long_question_of_its_own_after_a_what_if_is_that_question() -> None:
    """Read as surely as a labelled sentence and naming nothing of the answer before, a long sentence
    asks itself; one that refers back ("dat") is still a follow-up."""
    whatif = Context("whatif", "advanced_certifications",
                     changes=(api.Change("advanced_certifications", Decimal(-2)),))
    asked = follow_up(whatif, "hoeveel installaties bij klanten nog tot het maximum")
    assert (asked.intent, asked.metric) == ("gap", "deployments")
    again = follow_up(whatif, "hoe ziet dat er volgende maand uit?")
    assert again.intent == "whatif"
