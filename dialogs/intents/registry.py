"""The intent registry: every intent the bot knows, registered once, with what it needs.

    @register("score", needs=("profile",), interrupts=True)
    async def score(question: Question) -> list[Activity]: ...

An :class:`Intent` says

- what it ``needs``: ``"profile"`` (a stored partner profile; without one the user gets the
  no-profile card and the handler is not called), ``"offer"`` (it is about one marketplace offer,
  named in the question or asked for by the dialog it begins);
- whether it ``interrupts``: it may be answered in the middle of a guided dialog, which then goes on
  ("what's my score?" during data entry); intents that collect or change data do not;
- what it does: a ``handler`` that answers in one turn (in :mod:`dialogs.intents`), or ``begins`` a
  guided dialog (its dialog id), or is one of the router's own acts (``router``: cancel, language,
  saving an update), which :mod:`dialogs.conversation` carries out.

Every intent name is also a card-submit ``verb``: a button stands for its question.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from botbuilder.schema import Activity

from dialogs.cards import kit
from dialogs.ports import Document, PartnerRepository
from dialogs.understanding import Recognition
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api

NEEDS = frozenset({"profile", "offer"})


@dataclass
class Question:
    """One recognised question and what its answer may read: the tenant's stored profile, the date,
    the user's language and the short context of this user's previous answer."""

    intent: str
    recognition: Recognition
    tenant: str
    lang: str
    today: date
    document: Document | None
    context: Mapping[str, Any] = field(default_factory=dict)
    partners: PartnerRepository | None = field(default=None, repr=False)
    """The tenant's data, for answers about roles and changes (read, or changed through
    :meth:`~dialogs.ports.PartnerRepository.change`), history and notifications."""
    _evaluated: tuple[api.Profile, api.ScoreResult] | None = field(default=None, repr=False)
    _key: str | None = field(default=None, repr=False)

    def evaluated(self) -> tuple[api.Profile, api.ScoreResult]:
        """The stored profile and its score (raises InputError for a profile scoring refuses)."""
        if self._evaluated is None:
            if self.document is None:
                raise InputError("no profile stored", code="answers_no_profile")
            self._evaluated = evaluate(self.document, self.today, key=self.key())
        return self._evaluated

    async def history(self) -> list[Document]:
        """The tenant's kept month scores (``scoring.api.MonthScore`` JSON), oldest first."""
        return await self.partners.load_history(self.tenant) if self.partners is not None else []

    @property
    def result(self) -> api.ScoreResult:
        return self.evaluated()[1]

    def result_or_none(self) -> api.ScoreResult | None:
        """The score of the stored profile, or ``None`` without one (or with one scoring refuses)."""
        if self.document is None:
            return None
        try:
            return self.result
        except InputError:
            return None

    def key(self) -> str | None:
        """What this question's answers depend on besides the intent and language: the stored
        profile and the date (``None`` without a profile). Equal keys give equal scores."""
        if self._key is None and self.document is not None:
            self._key = data_key(self.document, self.today)  # once a turn: a profile may hold many rows
        return self._key

    def edition(self) -> api.Edition:
        """The rule edition of the stored profile's score, else the one in force today."""
        result = self.result_or_none()
        return api.get_edition(result.edition) if result is not None else api.edition_on(self.today)


Handler = Callable[[Question], Awaitable[list[Activity]]]


@dataclass(frozen=True)
class Intent:
    name: str
    handler: Handler | None = None
    needs: frozenset[str] = frozenset()
    interrupts: bool = False
    begins: str | None = None
    router: bool = False
    personal: bool = False
    """A router act on the clicking user's own pending state (like every dialog button): in a group,
    its button carries that user's id."""

    @property
    def answers(self) -> bool:
        """Answered in one turn by its handler."""
        return self.handler is not None


INTENTS: dict[str, Intent] = {}


def register(
    name: str,
    *,
    needs: tuple[str, ...] = (),
    interrupts: bool = False,
) -> Callable[[Handler], Handler]:
    """Register ``name`` answered by the decorated handler."""

    def add(handler: Handler) -> Handler:
        _add(Intent(name, handler, frozenset(needs), interrupts))
        return handler

    return add


def register_dialog(name: str, dialog_id: str, *, needs: tuple[str, ...] = ()) -> None:
    """Register ``name`` as the request that begins the guided dialog ``dialog_id``."""
    _add(Intent(name, None, frozenset(needs), begins=dialog_id))


def register_router(name: str, *, interrupts: bool = False, personal: bool = False) -> None:
    """Register one of the router's own acts (cancel, language, saving an update)."""
    _add(Intent(name, None, interrupts=interrupts, router=True, personal=personal))


def _add(intent: Intent) -> None:
    if intent.name in INTENTS:
        raise ValueError(f"intent {intent.name} registered twice")
    if not intent.needs <= NEEDS:
        raise ValueError(f"intent {intent.name} needs unknown {sorted(intent.needs - NEEDS)}")
    INTENTS[intent.name] = intent


def get(name: str | None) -> Intent | None:
    return INTENTS.get(name) if name else None


EVALUATION_CACHE_SIZE = 256
_evaluations: OrderedDict[str, tuple[api.Profile, api.ScoreResult]] = OrderedDict()


def data_key(document: Mapping[str, Any], today: date) -> str:
    """The stored data and the date as one short text (a digest): the key of everything computed
    from them, the same size for a summary profile and one with thousands of record rows."""
    text = json.dumps([document, today.isoformat()], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evaluate(
    document: Mapping[str, Any], today: date, *, key: str | None = None
) -> tuple[api.Profile, api.ScoreResult]:
    """The profile in ``document`` and its score on ``today``. Scoring is a pure function of the two
    and its results are frozen, so the last :data:`EVALUATION_CACHE_SIZE` are kept: the same stored
    data is scored once per process, not on every question about it (a profile scoring refuses is
    not kept, so its error is raised each time)."""
    key = key or data_key(document, today)
    found = _evaluations.get(key)
    if found is None:
        profile = api.parse_profile(document, "profile")
        found = profile, api.evaluate(profile, today=today)
        _evaluations[key] = found
        while len(_evaluations) > EVALUATION_CACHE_SIZE:
            _evaluations.popitem(last=False)
    else:
        _evaluations.move_to_end(key)
    return found


def t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(key, lang, **params)


def reply(card: kit.Card) -> Activity:
    return kit.reply(card)


def text_reply(text: str) -> Activity:
    return Activity(type="message", text=text)
