"""The intent registry: every intent the recognizer can find is registered once, named in both
languages, and says what it needs."""

from __future__ import annotations

import pytest

from dialogs import intents
from dialogs.intents import registry
from kernel.files import config_dir, load_yaml_file
from kernel.texts import LANGUAGES, catalog


def recognised() -> set[str]:
    return set(load_yaml_file(config_dir() / "recognizer" / "intents.yaml")["intents"])


def test_every_intent_the_recognizer_finds_is_registered() -> None:
    assert recognised() - set(intents.INTENTS) == set()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_registered_intent_has_a_name_for_did_you_mean_buttons(lang: str) -> None:
    for name in intents.INTENTS:
        if name.startswith("update_"):
            continue  # only the Save / Don't save buttons of an update card carry these
        assert catalog().has(f"answers.intent.{name}"), name
        assert catalog().text(f"answers.intent.{name}", lang).strip()


def test_each_intent_does_one_thing() -> None:
    for spec in intents.INTENTS.values():
        kinds = [spec.handler is not None, spec.begins is not None, spec.router]
        assert kinds.count(True) == 1, spec.name


def test_questions_that_change_data_do_not_interrupt_a_dialog() -> None:
    assert not intents.get("update").interrupts  # type: ignore[union-attr]
    assert not intents.get("cosell").interrupts  # type: ignore[union-attr]
    assert intents.get("score").interrupts  # type: ignore[union-attr]
    assert "profile" in intents.get("score").needs  # type: ignore[union-attr]
    assert "profile" not in intents.get("explain").needs  # type: ignore[union-attr]


def test_an_intent_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        registry.register_router("score")
    with pytest.raises(ValueError, match="needs unknown"):
        registry.register_dialog("new_one", "profile", needs=("licence",))
    assert "new_one" not in intents.INTENTS
