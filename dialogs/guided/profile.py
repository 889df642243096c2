"""The partner data dialog: asks the summary inputs of a profile (RULES.md C.1) one at a time.

    market (2022 rules) or track (2023 rules, in force today)
    → net customer adds (or the two workload counts) → intermediate and advanced certified
    people → consumption now and 12 months ago → deployments now and 12 months ago
    → summary card (confirm / change a value) → scorecard

Begin it as ``"profile"`` with options (all optional, a JSON mapping):

- ``{"redo": true}``: ask every input again (each question offers to keep the stored value);
- ``{"redo": ["advanced_certified_people", ...]}``: ask these inputs again;
- default: ask only what is not stored yet; when everything is stored, go straight to the summary.

Every valid answer is written to the tenant's profile through the repository as soon as it is given,
so "cancel", an interruption or a restart of the bot never loses a confirmed answer. The dialog
state holds only JSON (what is left to ask), so a restarted bot asks the same question again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    ComponentDialog,
    DialogInstance,
    DialogReason,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.schema import Activity

from dialogs import formatting
from dialogs.cards.common import market_meaning, track_meaning
from dialogs.guided import cards, fields
from dialogs.guided.guard import StaleAnswer, guarded
from dialogs.guided.prompt import CANCELLED, REPEATED, Ask, Options
from dialogs.guided.score import score_reply
from dialogs.ports import PartnerRepository
from dialogs.turn import language_of, tenant_of
from dialogs.understanding import plausible_limit, words
from dialogs.understanding.numbers import parse_number
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import api

DIALOG_ID = "profile"
_MAIN = "profile.main"
_LOOP = "profile.loop"
_ASK = "profile.ask"
_CONFIRM = "profile.confirm"
_PICK = "profile.pick"


_METRIC_OF = {k.key: k.metric for k in api.SUMMARY_KEYS}
"""Summary key → the metric it counts towards (its plausible size is the metric's)."""


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"guided.{key}", lang, **params)


def show_value(name: str, value: Any, lang: str) -> str:
    """A stored input as the user reads it."""
    if value is None:
        return _t("profile.summary.missing", lang)
    if name == fields.MARKET:
        key = f"profile.market.{value}"
        return _t(key, lang) if catalog().has(f"guided.{key}") else str(value)
    if name == fields.TRACK:
        return api.segment_name("track", str(value), lang) if value in api.TRACKS else str(value)
    kind = fields.BY_NAME[name].kind
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if kind == "amount":
        return formatting.number(number, lang, 2, trim=True)
    return formatting.count(number, lang)


class ProfileDialog(ComponentDialog):  # type: ignore[misc]  # the SDK is untyped
    """Dialog id ``"profile"``: guided entry of the partner profile, stored as it goes."""

    def __init__(self, partners: PartnerRepository, today: Callable[[], date]) -> None:
        super().__init__(DIALOG_ID)
        self._partners = partners
        self._today = today
        self.add_dialog(WaterfallDialog(_MAIN, [self._start, self._summary, self._after_summary,
                                                self._after_pick]))
        self.add_dialog(WaterfallDialog(_LOOP, [self._ask_next, self._store]))
        self.add_dialog(Ask(_ASK, self._render_field, self._recognize_field, self._explain_field,
                            choice=_is_choice))
        self.add_dialog(Ask(_CONFIRM, self._render_summary, self._recognize_confirm, self._explain_summary,
                            choice=True))
        self.add_dialog(Ask(_PICK, self._render_pick, self._recognize_pick, self._explain_summary,
                            choice=True))
        self.initial_dialog_id = _MAIN

    def _rules(self) -> api.Edition:
        """The rule edition in force for the latest month that can be evaluated today."""
        return api.edition_for(api.latest_evaluable_month(self._today()))

    def _months(self) -> int:
        """The comparison window of the edition in force: the names of inputs such as "Deployments 12
        months ago" state it."""
        return self._rules().comparison_months

    def _label(self, name: str, lang: str) -> str:
        return _t(f"profile.field.{name}.label", lang, months=self._months())

    def _slots(self) -> tuple[str, ...]:
        return fields.slots(self._rules().segment_kind)

    # --- main: plan, loop, summary, confirm ------------------------------------------------------

    async def _start(self, step: WaterfallStepContext) -> DialogTurnResult:
        context = step.context
        lang = language_of(context)
        options = step.options if isinstance(step.options, Mapping) else {}
        profile = await self._partners.load_profile(tenant_of(context))
        redo = options.get("redo")
        if redo is True:
            queue = list(self._slots())
        elif isinstance(redo, list | tuple):
            wanted = {str(name) for name in redo}
            if wanted & set(fields.WORKLOADS):  # the two counts give one metric: ask both
                wanted |= set(fields.WORKLOADS)
            queue = [f.name for f in fields.FIELDS if f.name in wanted]
        else:
            queue = [slot for slot in self._slots() if not fields.has_slot(profile, slot)]
        if not queue:
            await context.send_activity(_t("profile.nothing_to_ask", lang))
            return await step.next(None)
        if not options.get("again"):
            await context.send_activity(_t("profile.intro" if len(queue) > 1 else "profile.intro_one", lang,
                                           count=len(queue)))
        return await step.begin_dialog(_LOOP, {"queue": queue, "index": 1, "total": len(queue),
                                               "redo": bool(redo)})

    async def _summary(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result == CANCELLED:
            await self._say_kept(step.context)
            return await step.end_dialog(CANCELLED)
        return await step.begin_dialog(_CONFIRM, {"step": "summary"})

    async def _after_summary(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result == CANCELLED:
            await self._say_kept(step.context)
            return await step.end_dialog(CANCELLED)
        if step.result == "change":
            return await step.begin_dialog(_PICK, {"step": "pick"})
        lang = language_of(step.context)
        profile = await self._partners.load_profile(tenant_of(step.context))
        await step.context.send_activity(_t("profile.done", lang))
        await step.context.send_activity(score_reply(profile or {}, lang, self._today()))
        return await step.end_dialog({"saved": True})

    async def _after_pick(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result == CANCELLED:
            await self._say_kept(step.context)
            return await step.end_dialog(CANCELLED)
        return await step.replace_dialog(_MAIN, {"redo": [str(step.result)], "again": True})

    # --- the loop: one input per round ---------------------------------------------------------

    async def _ask_next(self, step: WaterfallStepContext) -> DialogTurnResult:
        plan: dict[str, Any] = dict(step.options)
        if not plan["queue"]:
            return await step.end_dialog(None)
        profile = await self._partners.load_profile(tenant_of(step.context))
        step.values["before"] = fields.stored(profile, plan["queue"][0])  # see dialogs.guided.guard
        return await step.begin_dialog(_ASK, {"field": plan["queue"][0], "index": plan["index"],
                                              "total": plan["total"], "redo": plan["redo"],
                                              "last": plan.get("last")})

    async def _store(self, step: WaterfallStepContext) -> DialogTurnResult:
        plan: dict[str, Any] = dict(step.options)
        result = step.result
        if result == CANCELLED:
            return await step.end_dialog(CANCELLED)
        name, rest = plan["queue"][0], plan["queue"][1:]
        if isinstance(result, dict) and result.get("switch") == "counts":
            plan["queue"] = [*fields.WORKLOADS, *rest]
            plan["total"] += 1
            return await step.replace_dialog(_LOOP, plan)
        if isinstance(result, dict) and "value" in result:
            value = result["value"]
            held: dict[str, Any] = dict(plan.get("held") or {})
            profile = await self._partners.load_profile(tenant_of(step.context))
            if name in fields.WORKLOADS and any(w in rest for w in fields.WORKLOADS) and (
                    fields.stored(profile, fields.NET_ADDS) is not None):
                # the first of the two counts would replace the stored net customer adds: keep it
                # until the second count is given, so a cancel in between loses nothing stored
                plan["held"] = {**held, name: value}
                plan["queue"], plan["index"] = rest, plan["index"] + 1
                return await step.replace_dialog(_LOOP, plan)
            plan.pop("held", None)

            def set_all(doc: Any) -> Any:
                for held_name, held_value in held.items():
                    doc = fields.with_value(doc, held_name, held_value)
                return fields.with_value(doc, name, value)

            change = guarded(set_all, lambda doc: fields.stored(doc, name), step.values.get("before"), value)
            try:
                await self._partners.update_profile(tenant_of(step.context), change)
            except StaleAnswer:  # answered a moment ago by another message or person: ask again
                lang = language_of(step.context)
                current = fields.stored(await self._partners.load_profile(tenant_of(step.context)), name)
                await step.context.send_activity(_t("profile.stale", lang, label=self._label(name, lang),
                                                    value=show_value(name, current, lang)))
                return await step.replace_dialog(_LOOP, plan)
            plan["last"] = name
        plan["queue"] = rest
        plan["index"] += 1
        return await step.replace_dialog(_LOOP, plan)

    # --- the field question --------------------------------------------------------------------

    async def _render_field(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        name = str(options["field"])
        kind = fields.BY_NAME[name].kind
        profile = await self._partners.load_profile(tenant_of(context))
        current = fields.stored(profile, name)
        lines = [self._meaning(name, lang)]
        if kind not in ("market", "track"):
            lines.append(_t("profile.number_hint", lang, example=_t("numbers.example", lang)))
        subtle = [_t(f"profile.field.{name}.where", lang, months=self._months())]
        last = options.get("last")
        note = None
        if last and not options.get(REPEATED) and fields.stored(profile, last) is not None:
            note = _t("profile.saved_value", lang, label=self._label(last, lang),
                      value=show_value(last, fields.stored(profile, last), lang))
        buttons: list[Any] = []
        if kind == "market":
            buttons += [cards.button(_t("button.larger", lang), _t("say.larger", lang)),
                        cards.button(_t("button.other", lang), _t("say.other", lang))]
        if kind == "track":
            buttons += [cards.button(api.segment_name("track", track, lang), track)
                        for track in self._rules().markets]
        if current is not None:
            shown = show_value(name, current, lang)
            lines.append(_t("profile.stored_now", lang, value=shown))
            buttons.append(cards.button(_t("button.keep", lang, value=shown), _t("say.keep", lang)))
        if name == fields.NET_ADDS:
            buttons.append(cards.button(_t("button.counts", lang), _t("say.counts", lang)))
        buttons += [cards.button(_t("button.help", lang), _t("say.help", lang)),
                    cards.button(_t("button.cancel", lang), _t("say.cancel", lang))]
        return cards.question(
            heading=self._label(name, lang), lines=lines, subtle=subtle, reason=reason, note=note,
            progress=_t("profile.progress", lang, index=options["index"], total=options["total"]),
            number=None if kind in ("market", "track") else self._label(name, lang), buttons=buttons,
            lang=lang)

    async def _recognize_field(self, context: TurnContext, options: Options, said: str) -> Any:
        lang = language_of(context)
        name = str(options["field"])
        kind = fields.BY_NAME[name].kind
        if words.is_word(said, "keep"):
            profile = await self._partners.load_profile(tenant_of(context))
            if fields.stored(profile, name) is not None:
                return {"keep": True}
        if name == fields.NET_ADDS and words.is_word(said, "counts"):
            return {"switch": "counts"}
        if kind == "market":
            markets = next(e for e in reversed(api.editions()) if e.segment_kind == "market").markets
            market = words.which(said, tuple(m for m in markets if words.has_kind(m)))
            if market is None:
                raise InputError(f"'{said}' is not a market", code="guided_market_expected",
                                 params={"text": said})
            return {"value": market}
        if kind == "track":
            track = self._track(said)
            if track is None:
                known = ", ".join(api.segment_name("track", t, lang) for t in self._rules().markets)
                raise InputError(f"'{said}' is not a track", code="guided_track_expected",
                                 params={"text": said, "known": known})
            return {"value": track}
        if words.is_word(said, "unknown"):
            raise InputError(f"'{said}': the number is needed", code="guided_number_unknown",
                             params={"text": said})
        number = parse_number(said, lang, whole=kind != "amount", allow_negative=kind == "signed_count")
        limit = plausible_limit(_METRIC_OF.get(name, ""))
        if abs(number) > limit:  # "150000 certified people": a typing slip, never stored
            raise InputError(f"{name}: {number} is not plausible", code="guided_implausible", params={
                "value": formatting.number(number, lang, trim=True),
                "limit": formatting.number(limit, lang, trim=True),
                "field_label": f"guided.profile.field.{name}.label", "months": self._months()})
        fields.with_value({}, name, fields.plain(number))  # the scoring module's own check
        return {"value": fields.plain(number)}

    def _track(self, said: str) -> str | None:
        """The track id ``said`` names: its id or its name in either language (``Enterprise track``)."""
        wanted = words.normalise(said)
        for track in self._rules().markets:
            names = {words.normalise(api.segment_name("track", track, lang)) for lang in ("en", "nl")}
            if wanted == track or wanted in names or f"{wanted} track" in names or f"{wanted}-track" in names:
                return track
        return None

    def _meaning(self, name: str, lang: str) -> str:
        """What a field means, with the numbers of the edition in force (the track's rule, the revenue
        that qualifies a pair, the advanced certified people for full points)."""
        rules = self._rules()
        if name == fields.MARKET:
            return market_meaning(rules, lang)
        if name != fields.TRACK:
            baselines = api.per_segment(rules, lang, lambda s: formatting.money(rules.baseline[s], lang))
            return _t(f"profile.field.{name}.meaning", lang, threshold=api.pair_threshold_words(rules, lang),
                      baselines=baselines, months=rules.comparison_months)
        return track_meaning(rules, lang)

    async def _explain_field(self, context: TurnContext, options: Options) -> Activity:
        lang = language_of(context)
        name = str(options["field"])
        return Activity(type="message", text=_t(
            "profile.help", lang, label=self._label(name, lang), meaning=self._meaning(name, lang),
            where=_t(f"profile.field.{name}.where", lang, months=self._months()),
            example=_t("numbers.example", lang)))

    # --- summary and change --------------------------------------------------------------------

    async def _facts(self, context: TurnContext) -> list[tuple[str, str]]:
        lang = language_of(context)
        profile = await self._partners.load_profile(tenant_of(context))
        facts: list[tuple[str, str]] = []
        for slot in self._slots():
            if slot == fields.NET_ADDS and fields.stored(profile, slot) is None and all(
                    fields.stored(profile, w) is not None for w in fields.WORKLOADS):
                now, before = (fields.stored(profile, w) for w in fields.WORKLOADS)
                value = _t("profile.summary.net_from_counts", lang, months=self._months(),
                           now=show_value(fields.WORKLOADS[0], now, lang),
                           before=show_value(fields.WORKLOADS[1], before, lang),
                           value=show_value(slot, Decimal(str(now)) - Decimal(str(before)), lang))
                facts.append((self._label(slot, lang), value))
                continue
            facts.append((self._label(slot, lang), show_value(slot, fields.stored(profile, slot), lang)))
        return facts

    async def _render_summary(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        intro = _t("profile.summary.intro", lang)
        return cards.facts_card(
            heading=_t("profile.summary.title", lang), intro=f"{reason}\n\n{intro}" if reason else intro,
            facts=await self._facts(context), lang=lang,
            buttons=[cards.button(_t("button.confirm", lang), _t("say.yes", lang), style="positive"),
                     cards.button(_t("button.change", lang), _t("say.change", lang)),
                     cards.button(_t("button.cancel", lang), _t("say.cancel", lang))])

    async def _recognize_confirm(self, context: TurnContext, options: Options, said: str) -> Any:
        kind = words.which(said, ("yes", "change", "no"))
        if kind == "yes":
            return "confirm"
        if kind in ("change", "no"):
            return "change"
        raise InputError("answer yes or change", code="guided_confirm_expected", params={"text": said})

    async def _explain_summary(self, context: TurnContext, options: Options) -> Activity:
        lang = language_of(context)
        return Activity(type="message", text=_t("profile.summary.intro", lang))

    def _pickable(self) -> list[str]:
        slots = self._slots()
        return [*slots[:2], *fields.WORKLOADS, *slots[2:]]

    async def _render_pick(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        names = self._pickable()
        return cards.question(
            heading=_t("profile.pick.title", lang), lines=[], reason=reason, lang=lang,
            choices=[(self._label(n, lang), self._label(n, lang)) for n in names],
            choice_label=catalog().text("cards.label.value", lang),
            buttons=[cards.button(_t("button.cancel", lang), _t("say.cancel", lang))])

    async def _recognize_pick(self, context: TurnContext, options: Options, said: str) -> Any:
        names = self._pickable()
        wanted = words.normalise(said)
        for index, name in enumerate(names, start=1):
            labels = {words.normalise(self._label(name, lang)) for lang in ("en", "nl")}
            if wanted in labels or wanted == str(index):
                return name
        raise InputError(f"'{said}' is not one of the values", code="guided_field_expected",
                         params={"text": said})

    # --- ending ----------------------------------------------------------------------------------

    async def on_end_dialog(
        self, context: TurnContext, instance: DialogInstance, reason: DialogReason
    ) -> None:
        """Cancelled from outside (the router's "cancel", or another dialog replacing this one)."""
        if reason == DialogReason.CancelCalled:
            await self._say_kept(context)

    async def _say_kept(self, context: TurnContext) -> None:
        lang = language_of(context)
        profile = await self._partners.load_profile(tenant_of(context))
        kept = [f"{self._label(f.name, lang)} = {show_value(f.name, fields.stored(profile, f.name), lang)}"
                for f in fields.FIELDS if fields.stored(profile, f.name) is not None]
        if kept:
            await context.send_activity(_t("profile.cancelled", lang, kept="; ".join(kept)))
        else:
            await context.send_activity(_t("profile.cancelled_nothing", lang))


def _is_choice(options: Options) -> bool:
    """The field is answered by a button (the market, the track), not typed as a number."""
    return fields.BY_NAME[str(options["field"])].kind in ("market", "track")

