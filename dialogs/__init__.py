"""The conversation layer: recognizer, answers, dialogs, cards and texts.

Builds on :mod:`scoring` for every number and verdict; knows nothing of HTTP or SQLite (those are
:mod:`bot`'s, reached through the ports in :mod:`dialogs.ports`).
"""
