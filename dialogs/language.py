"""The reply language: the user's own choice (remembered in user state), else the activity's locale.

``nl-*`` locales mean Dutch, every other locale English (:func:`kernel.texts.language_from_locale`).
"""

from __future__ import annotations

from botbuilder.core import TurnContext, UserState

from kernel.texts import LANGUAGES, language_from_locale


class LanguageChoice:
    """Reads and remembers the language a user chose, per user (all their conversations)."""

    def __init__(self, user_state: UserState) -> None:
        self._property = user_state.create_property("language")

    async def chosen(self, turn_context: TurnContext) -> str | None:
        value = await self._property.get(turn_context, None)
        return str(value) if value in LANGUAGES else None

    async def get(self, turn_context: TurnContext) -> str:
        return await self.chosen(turn_context) or language_from_locale(turn_context.activity.locale)

    async def set(self, turn_context: TurnContext, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"not a language: {lang}")
        await self._property.set(turn_context, lang)
