"""What ``partnerbot serve`` does before it serves: every turn's tables loaded, and everything then
alive set aside from the garbage collector (``bot.app.settle``)."""

from __future__ import annotations

import gc

from bot.app import settle
from dialogs.understanding import recognizer


def test_settling_loads_the_recognizer_and_sets_the_start_up_objects_aside() -> None:
    gc.unfreeze()
    try:
        settle()
        assert gc.get_freeze_count() > 10_000  # the SDK, the editions, the catalog, the vocabularies
        assert gc.is_tracked(recognizer()) and recognizer() is recognizer()  # built once, kept
        assert len(gc.get_objects(generation=2)) < gc.get_freeze_count()
    finally:
        gc.unfreeze()
