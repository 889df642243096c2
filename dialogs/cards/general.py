"""Cards around the answers: welcome, help, no profile, how to import, did you mean, language.

Welcome and help offer three main buttons; the other questions are one tap away under "More".
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.cards import kit
from dialogs.cards.common import button, t

PRIMARY = ("score", "cosell", "enter")
MORE = ("gap", "plan", "language")


def _main_buttons(lang: str) -> list[kit.Action]:
    more = kit.show_card(t("cards.more", lang), kit.button_rows([button(name, lang) for name in MORE]))
    return [*(button(name, lang) for name in PRIMARY), more]


def _examples(lang: str) -> list[str]:
    return t("answers.help.examples", lang).split(" · ")


def welcome_card(lang: str) -> kit.Card:
    body = [
        kit.title(t("answers.welcome.title", lang)),
        kit.text(t("answers.welcome.text", lang)),
        kit.subtitle(t("answers.help.title", lang)),
        kit.bullets(_examples(lang)),
    ]
    return kit.card(body, _main_buttons(lang), lang=lang)


def help_card(lang: str) -> kit.Card:
    body = [
        kit.title(t("answers.help.title", lang)),
        kit.bullets(_examples(lang)),
        kit.text(t("answers.help.cancel", lang), subtle=True),
    ]
    return kit.card(body, _main_buttons(lang), lang=lang)


def no_profile_card(lang: str) -> kit.Card:
    buttons = [
        kit.submit(
            t("answers.no_profile.enter", lang),
            "enter_data",
            text_=t("answers.no_profile.enter_text", lang),
            style="positive",
        ),
        kit.submit(
            t("answers.no_profile.import", lang),
            "import_help",
            text_=t("answers.no_profile.import_text", lang),
        ),
    ]
    body = [
        kit.title(t("answers.no_profile.title", lang)),
        kit.text(t("answers.no_profile.text", lang)),
    ]
    return kit.card(body, buttons, lang=lang)


def import_card(tenant: str, lang: str) -> kit.Card:
    command = t("answers.import.command", lang, tenant=kit.plain(tenant))
    body = [
        kit.title(t("answers.import.title", lang)),
        kit.text(t("answers.import.text", lang)),
        kit.container([kit.text(command, monospace=True)], style="emphasis"),
    ]
    return kit.card(body, [button("enter", lang)], lang=lang)


def did_you_mean_card(guesses: Sequence[str], said: str, lang: str) -> kit.Card:
    buttons = [kit.submit(t(f"answers.intent.{intent}", lang), intent, text_=said) for intent in guesses]
    body = [
        kit.title(t("answers.didyoumean.title", lang), size="Medium"),
        kit.text(t("answers.didyoumean.text", lang)),
    ]
    return kit.card(body, buttons, lang=lang)


def language_card(lang: str) -> kit.Card:
    actions = [
        kit.submit(t("answers.language.en", lang), "language", text_="english", data={"lang": "en"}),
        kit.submit(t("answers.language.nl", lang), "language", text_="nederlands", data={"lang": "nl"}),
    ]
    return kit.card([kit.text(t("answers.language.which", lang))], actions, lang=lang)
