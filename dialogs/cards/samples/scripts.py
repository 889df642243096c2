"""The scripted conversations that together send every card kind: what the admin says or clicks,
and the name of each card a turn sends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogs.cards.samples.data import CONTOSO, COSELL, FABRIKAM, NORTHWIND
from dialogs.ports import Document


@dataclass
class Step:
    """One user turn: typed ``say`` or a click on the button (or choice) whose submit text is ``click``.

    ``names`` name the cards the turn sends, in order (``""``: not dumped, already shown elsewhere).
    """

    say: str | None = None
    click: str | None = None
    names: Sequence[str] = ()
    welcome: bool = False
    verb: str | None = None
    """A submit with this verb (an intent) and ``say`` as its text, as a menu button sends it."""


@dataclass
class Script:
    tenant: str
    steps: Sequence[Step]
    profile: Document | None = None
    cosell: Document | None = None
    user: str = "user-1"


def _texts(lang: str, en: str, nl: str) -> str:
    return en if lang == "en" else nl


def scripts(lang: str) -> list[Script]:
    """The conversations that together send every card kind, in ``lang``."""

    def s(en: str, nl: str) -> str:
        return _texts(lang, en, nl)

    return [
        Script(
            "new",
            [
                Step(welcome=True, names=["welcome"]),
                Step(say="help", names=["help"]),
                Step(say=s("what's my score?", "wat is mijn score?"), names=["no-profile"]),
                Step(click="import", names=["import-help"]),
                Step(say=s("deployments", "implementaties"), names=["did-you-mean"]),
                Step(
                    say=s("how does usage growth work?", "hoe werkt verbruiksgroei?"),
                    names=["explain-no-profile"],
                ),
            ],
        ),
        Script(
            "contoso",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-not-met"]),
                Step(
                    say=s(
                        "how many more advanced certifications do I need?",
                        "hoeveel geavanceerde certificeringen heb ik nog nodig?",
                    ),
                    names=["gap-one-metric"],
                ),
                Step(say=s("what are we missing?", "wat ontbreekt er nog?"), names=["gap-all-metrics"]),
                Step(say=s("make a plan", "maak een plan"), names=["plan"]),
                Step(
                    say=s(
                        "what if we certify 2 more people as advanced and add 3 deployments?",
                        "wat als we 2 geavanceerde certificeringen en 3 implementaties toevoegen?",
                    ),
                    names=["what-if"],
                ),
                Step(
                    say=s(
                        "we now have 5 advanced certified people",
                        "we hebben nu 5 geavanceerd gecertificeerde mensen",
                    ),
                    names=["update"],
                ),
                Step(click="update_confirm", names=["update-saved-scorecard"]),
                Step(
                    say=s("how does usage growth work?", "hoe werkt verbruiksgroei?"),
                    names=["explain-metric"],
                ),
                Step(say=s("how does the score work?", "hoe werkt de score?"), names=["explain-rule"]),
                Step(
                    say=s(
                        "we added a customer on 10 March, when does it show up?",
                        "we hebben op 10 maart een klant toegevoegd, wanneer telt die mee?",
                    ),
                    names=["when-it-counts"],
                ),
                Step(say=s("does Power BI count?", "telt Power BI mee?"), names=["what-counts-workload"]),
                Step(
                    say=s("what counts as a deployment?", "wat telt er precies als implementatie?"),
                    names=["what-counts-metric"],
                ),
                Step(
                    say=s("which certifications are eligible?", "welke certificeringen tellen mee?"),
                    names=["what-counts-certifications"],
                ),
                Step(
                    say=s(
                        "what is the rate for Business Central?", "wat is het tarief voor Business Central?"
                    ),
                    names=["what-counts-rate"],
                ),
                Step(
                    say=s("what does co-sell ready mean?", "wat betekent co-sell ready?"),
                    names=["cosell-explain-status"],
                ),
                Step(
                    say=s(
                        "what does the Azure IP co-sell incentive require?",
                        "wat vereist de Azure IP co-sell incentive?",
                    ),
                    names=["cosell-explain-incentive"],
                ),
                Step(say=s("language", "taal"), names=["language"]),
                Step(
                    verb="forecast",
                    say=s("will our score drop next month?", "daalt onze score volgende maand?"),
                    names=["forecast"],
                ),
                Step(
                    verb="threshold",
                    say=s("is 70 points enough?", "zijn 70 punten genoeg?"),
                    names=["threshold"],
                ),
                Step(
                    verb="market",
                    say=s("are we larger or other markets?", "zijn we grotere of andere markten?"),
                    names=["market"],
                ),
                Step(
                    verb="access",
                    say=s("who can change our data?", "wie kan onze gegevens wijzigen?"),
                    names=["access"],
                ),
                Step(verb="export", say=s("export my data", "exporteer mijn gegevens"), names=["export"]),
            ],
            profile=CONTOSO,
        ),
        Script(
            "fabrikam",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-met"]),
                Step(say=s("make a plan", "maak een plan"), names=["plan-done"]),
            ],
            profile=FABRIKAM,
        ),
        Script(
            "northwind",
            [
                Step(say=s("what's my score?", "wat is mijn score?"), names=["scorecard-open"]),
                Step(say=s("enter data", "gegevens invoeren"), names=["entry-net-adds"]),
                Step(say=s("a lot", "heel veel"), names=["entry-refused-not-a-number"]),
                Step(click="counts", names=["entry-workloads-now"]),
                Step(say="40", names=["entry-workloads-ago"]),
                Step(say="-3", names=["entry-refused-negative"]),
                Step(say="33", names=["entry-consumption-now"]),
                Step(say="130k", names=["entry-consumption-ago"]),
                Step(say="110000", names=["entry-summary"]),
                Step(say=s("maybe", "misschien"), names=[]),
                Step(click="change", names=["entry-change-pick"]),
                Step(say="xyz", names=[]),
                Step(say="1", names=["entry-market-change"]),
                Step(say=s("somewhere", "ergens"), names=[]),
                Step(click="other", names=["entry-summary-after-change"]),
                Step(click="yes", names=["entry-done-scorecard"]),
            ],
            profile=NORTHWIND,
        ),
        Script(
            "fresh",
            [
                Step(say=s("enter data", "gegevens invoeren"), names=["entry-market"]),
                Step(click="larger", names=["entry-net-adds-first"]),
                Step(say="7", names=["entry-intermediate"]),
                Step(say="12", names=["entry-advanced"]),
                Step(say="3", names=["entry-consumption-now-first"]),
                Step(say="cancel", names=[]),
                Step(
                    say=s("is my offer co-sell ready?", "is mijn aanbieding klaar voor co-sell?"),
                    names=["cosell-name"],
                ),
                Step(say="Contoso Insights", names=["cosell-offer-type"]),
                Step(say=s("a spaceship", "een ruimteschip"), names=[]),
                Step(say="SaaS", names=["cosell-question-1"]),
                Step(click="yes", names=["cosell-question-2"]),
                Step(say=s("perhaps", "hangt ervan af"), names=[]),
                Step(click="yes", names=["cosell-question-3"]),
                Step(click="yes", names=["cosell-question-4"]),
                Step(click="yes", names=["cosell-question-5"]),
                Step(click="unknown", names=["cosell-question-6"]),
                Step(click="yes", names=["cosell-question-revenue"]),
                Step(say="250000", names=["cosell-question-8"]),
                Step(click="yes", names=["cosell-question-9"]),
                Step(click="yes", names=["cosell-checklist"]),
            ],
        ),
        Script(
            "cosell",
            [
                Step(
                    say=s("is my offer co-sell ready?", "is mijn aanbieding klaar voor co-sell?"),
                    names=["cosell-pick-offer"],
                ),
                Step(say=s("the other one", "de andere"), names=["cosell-pick-refused"]),
                Step(say="Contoso Sync for Teams", names=["cosell-checklist-not-eligible"]),
                Step(
                    say=s("is Contoso Insights co-sell ready?", "is Contoso Insights klaar voor co-sell?"),
                    names=["cosell-insights-question-1"],
                ),
                Step(click="no", names=["cosell-insights-question-2"]),
                Step(click="no", names=["cosell-insights-question-3"]),
                Step(click="no", names=["cosell-later"]),
                Step(click="yes", names=["cosell-planning-ahead"]),
                Step(click="no", names=["cosell-planning-ahead-2"]),
                Step(click="stop", names=["cosell-checklist-stopped"]),
            ],
            cosell=COSELL,
        ),
    ]
