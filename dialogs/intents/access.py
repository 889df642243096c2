"""Roles and the audit trail in chat: refusals, who can change the data, grants, recent changes, undo.

The rules themselves (who needs which role, the one change path) are :mod:`dialogs.audit`; this
module only says them in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.audit import ACCESS, OWNER, NotAllowed
from dialogs.intents.registry import t


def names_text(names: Sequence[str], lang: str) -> str:
    """``Anna``, ``Anna and Ben``, ``Anna, Ben and Carla``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t('access.and', lang)} {names[-1]}"


def refusal_text(error: NotAllowed, lang: str) -> str:
    """The polite refusal of a change the sender's role does not allow, naming the owners."""
    owners = (t("access.refused.owners", lang, names=names_text(error.owners, lang)) if error.owners
              else t("access.refused.no_owner", lang))
    key = "access.refused.grant" if error.needs == OWNER else "access.refused.edit"
    return t(key, lang, owners=owners)


__all__ = ["ACCESS", "names_text", "refusal_text"]
