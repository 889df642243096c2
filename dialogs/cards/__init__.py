"""Adaptive Cards of the conversation layer: a small kit (:mod:`dialogs.cards.kit`) and the answer cards.

Cards are pure functions from result objects to Adaptive Card 1.5 dicts; they never read state
or files other than the text catalog.
"""
