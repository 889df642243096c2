"""The co-sell walkthrough: "is my offer co-sell ready?", one question at a time, then a checklist.

    pick the offer (named in the message, chosen from the known offers, or a new one with its type;
    a name typed at "which offer?" that is not one of the offers starts a new offer of that name)
    → the questions the co-sell evaluator says still matter, one at a time (Yes / No / Don't know)
    → checklist card: ✓ / ✗ / ? per requirement, status reached, next status and what it needs,
      next steps with the Partner Center role and link

Begin it as ``"cosell"`` with options ``{"offer": str | None, "offer_type": str | None}`` (a JSON
mapping; both optional): ``offer`` is the offer name from the message (matched to a known offer
without regard to case; an unknown name starts a new offer with that name), ``offer_type`` an offer
type id for a new offer (asked when missing).

A new offer's name is refused, with the reason in the user's language, when it is too long or would
show as formatting or a link (:func:`dialogs.guided.offers.usable_name`). Names stored otherwise (an
imported file) are shown through :func:`dialogs.cards.kit.plain` all the same.

Which question comes next, what each answer would lead to and every status come from
:mod:`scoring.cosell`; this dialog only asks and stores. Each answer is written to the tenant's
co-sell facts through the repository as soon as it is given; partner-level facts (MPN ID, business
profile, gold competency, Azure revenue) belong to the partner and are never asked again for the
partner's other offers. "Don't know" keeps a fact unknown and is not asked again in the same
walkthrough. "stop" (or "cancel") shows the checklist of what is known so far.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
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
from dialogs.cards import kit
from dialogs.cards.cosell import checklist_card as _checklist_card
from dialogs.guided import cards, offers
from dialogs.guided.guard import StaleAnswer, guarded
from dialogs.guided.prompt import CANCELLED, Ask, Options, refused
from dialogs.ports import Document, PartnerRepository
from dialogs.turn import language_of, tenant_of
from dialogs.understanding import words
from dialogs.understanding.numbers import parse_number
from kernel.errors import InputError
from kernel.texts import catalog
from scoring import cosell

DIALOG_ID = "cosell"
_MAIN = "cosell.main"
_LOOP = "cosell.loop"
_PICK = "cosell.pick"
_NAME = "cosell.name"
_TYPE = "cosell.type"
_ASK = "cosell.ask"
_LATER = "cosell.later"
_OFFER_KEY = "guided.offer"


def _t(key: str, lang: str, **params: Any) -> str:
    return catalog().text(f"guided.{key}", lang, **params)


class CosellDialog(ComponentDialog):  # type: ignore[misc]  # the SDK is untyped
    """Dialog id ``"cosell"``: the co-sell readiness walkthrough for one offer."""

    def __init__(self, partners: PartnerRepository, today: Callable[[], date]) -> None:
        super().__init__(DIALOG_ID)
        self._partners = partners
        self._today = today
        self.add_dialog(WaterfallDialog(_MAIN, [self._choose, self._after_choose, self._after_name,
                                                self._after_type, self._finish]))
        self.add_dialog(WaterfallDialog(_LOOP, [self._ask_next, self._store]))
        self.add_dialog(Ask(_PICK, self._render_pick, self._recognize_pick, self._explain_pick, choice=True))
        self.add_dialog(Ask(_NAME, self._render_name, self._recognize_name, self._explain_pick))
        self.add_dialog(Ask(_TYPE, self._render_type, self._recognize_type, self._explain_pick, choice=True))
        self.add_dialog(Ask(_ASK, self._render_question, self._recognize_answer, self._explain_question,
                            choice=lambda o: self._question(o).kind != "amount_usd"))
        self.add_dialog(Ask(_LATER, self._render_later, self._recognize_later, self._explain_later,
                            choice=True))
        self.initial_dialog_id = _MAIN

    def _edition(self) -> cosell.Edition:
        return cosell.edition(on=self._today())

    async def _facts(self, context: TurnContext) -> cosell.CosellInput:
        return offers.parse(await self._partners.load_cosell(tenant_of(context)))

    # --- choosing the offer --------------------------------------------------------------------

    async def _choose(self, step: WaterfallStepContext) -> DialogTurnResult:
        options = step.options if isinstance(step.options, Mapping) else {}
        facts = await self._facts(step.context)
        step.values["offer_type"] = self._valid_type(options.get("offer_type"))
        named = str(options.get("offer") or "").strip()
        if named:
            known = offers.find(facts, named)
            if known:
                return await step.next({"offer": known.name})
            try:
                return await step.next({"new": offers.usable_name(named)})
            except InputError as err:  # named in the request, but not usable: ask for the name, saying why
                return await step.begin_dialog(_NAME, refused({"step": "name"}, err))
        if facts.offers:
            return await step.begin_dialog(_PICK, {"step": "pick"})
        return await step.next({"new": None})

    async def _after_choose(self, step: WaterfallStepContext) -> DialogTurnResult:
        result = step.result
        if result == CANCELLED:
            return await self._stopped_before_offer(step)
        if "offer" in result:
            return await step.next(result)
        if result["new"]:
            return await step.next({"name": result["new"]})
        return await step.begin_dialog(_NAME, {"step": "name"})

    async def _after_name(self, step: WaterfallStepContext) -> DialogTurnResult:
        result = step.result
        if result == CANCELLED:
            return await self._stopped_before_offer(step)
        if "offer" in result:
            return await step.next(result)
        step.values["name"] = result["name"]
        if step.values.get("offer_type"):
            return await step.next({"type": step.values["offer_type"]})
        return await step.begin_dialog(_TYPE, {"name": result["name"]})

    async def _after_type(self, step: WaterfallStepContext) -> DialogTurnResult:
        result = step.result
        if result == CANCELLED:
            return await self._stopped_before_offer(step)
        if "offer" in result:
            name = str(result["offer"])
        else:
            name, offer_type = str(step.values["name"]), str(result["type"])

            def add(doc: Document | None) -> Document:
                known = offers.find(offers.parse(doc), name)
                return dict(doc or {}) if known else cosell.add_offer(doc, name, offer_type)

            await self._partners.update_cosell(tenant_of(step.context), add)
        # kept on this component's own instance: a cancel empties the inner stack before on_end_dialog
        step.parent.active_dialog.state[_OFFER_KEY] = name
        return await step.begin_dialog(_LOOP, {"offer": name, "asked": [], "count": 0})

    async def _finish(self, step: WaterfallStepContext) -> DialogTurnResult:
        result = step.result if isinstance(step.result, Mapping) else {}
        name = str(result.get("offer", ""))
        await step.context.send_activity(await self.checklist(step.context, name))
        return await step.end_dialog({"offer": name, "stopped": bool(result.get("stopped"))})

    async def _stopped_before_offer(self, step: WaterfallStepContext) -> DialogTurnResult:
        await step.context.send_activity(_t("cosell.cancelled_nothing", language_of(step.context)))
        return await step.end_dialog(CANCELLED)

    def _valid_type(self, value: object) -> str | None:
        types = self._edition().offer_type_ids
        return str(value) if isinstance(value, str) and value in types else None

    async def _render_pick(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        facts = await self._facts(context)
        return cards.question(
            heading=_t("cosell.pick.title", lang), lines=[_t("cosell.pick.text", lang)], reason=reason,
            choices=[(o.name, o.name) for o in facts.offers],
            choice_label=catalog().text("cards.label.offer", lang),
            buttons=[cards.button(_t("cosell.button.new", lang), _t("say.new", lang))], lang=lang)

    async def _recognize_pick(self, context: TurnContext, options: Options, said: str) -> Any:
        facts = await self._facts(context)
        if words.is_word(said, "new"):
            return {"new": None}
        known = offers.find(facts, said)
        if known is None and said.isdigit():
            if not 1 <= int(said) <= len(facts.offers):
                raise InputError(f"'{said}' is not one of your offers", code="guided_offer_expected",
                                 params={"text": said})
            known = facts.offers[int(said) - 1]
        if known is None:  # a name typed here that is not one of the offers: a new offer of that name
            return {"new": offers.usable_name(said.strip())}
        return {"offer": known.name}

    async def _render_name(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        return _question_card(_t("cosell.name.title", lang), [_t("cosell.name.text", lang)], reason,
                              [cards.button(_t("button.cancel", lang), _t("say.cancel", lang))], lang)

    async def _recognize_name(self, context: TurnContext, options: Options, said: str) -> Any:
        name = said.strip()
        known = offers.find(await self._facts(context), name) if name else None
        return {"offer": known.name} if known else {"name": offers.usable_name(name)}

    async def _render_type(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        heading = _t("cosell.type.title", lang, offer=kit.plain(options["name"]))
        types = cosell.offer_types(edition=self._edition())
        return cards.question(
            heading=heading, lines=[_t("cosell.type.text", lang)], reason=reason,
            choices=[(t.name(lang), t.name(lang)) for t in types],
            choice_label=catalog().text("cards.label.offer_type", lang),
            buttons=[cards.button(_t("button.cancel", lang), _t("say.cancel", lang))], lang=lang)

    async def _recognize_type(self, context: TurnContext, options: Options, said: str) -> Any:
        found = offers.types_in(said, self._edition())
        if len(found) == 1:
            return {"type": found[0]}
        if len(found) > 1:
            lang = language_of(context)
            names = " / ".join(cosell.offer_type_name(t, lang) for t in found)
            raise InputError(f"'{said}' fits several offer types", code="guided_offer_type_several",
                             params={"text": said, "types": names})
        raise InputError(f"'{said}' is not an offer type", code="guided_offer_type_expected",
                         params={"text": said})

    async def _explain_pick(self, context: TurnContext, options: Options) -> Activity:
        return Activity(type="message", text=_t("cosell.help.pick", language_of(context)))

    # --- the questions ---------------------------------------------------------------------------

    async def _ask_next(self, step: WaterfallStepContext) -> DialogTurnResult:
        plan: dict[str, Any] = dict(step.options)
        facts = await self._facts(step.context)
        offer = offers.find(facts, plan["offer"])
        if offer is None:  # removed meanwhile (another conversation of the tenant)
            return await step.end_dialog(plan)
        asked = [(a, f) for a, f in plan["asked"]]
        question = cosell.next_question(facts.partner, offer, asked=asked, edition=self._edition())
        if question is None:
            return await step.end_dialog(plan)
        step.values["before"] = None  # asked only while unknown; see dialogs.guided.guard
        evaluated = cosell.evaluate_offer(facts.partner, offer, edition=self._edition())
        if question.deferred_until and not plan.get("ahead"):
            # nothing asked from here on can change the status now or the next status's to-do list:
            # say so once and let the admin choose between planning ahead and the checklist
            return await step.begin_dialog(_LATER, {
                "offer": offer.name, "status": question.deferred_until,
                "waiting": list(question.waiting_for), "deferred": list(question.deferred)})
        unlocks = next((r.unlocks for r in evaluated.requirements if r.id == question.requirement), None)
        return await step.begin_dialog(_ASK, {
            "unlocks": unlocks, "offer": offer.name, "fact": question.fact, "scope": question.scope,
            "kind": question.kind,
            "offer_type": question.offer_type, "requirement": question.requirement,
            "threshold": question.threshold_usd, "months": question.window_months,
            "share": question.azure_share_percent, "count": plan["count"] + 1,
            "deferred_until": question.deferred_until, "waiting": list(question.waiting_for),
            "outcomes": [[o.answer, o.value, o.status] for o in question.outcomes]})

    async def _store(self, step: WaterfallStepContext) -> DialogTurnResult:
        plan: dict[str, Any] = dict(step.options)
        result = step.result
        if result == CANCELLED or result == {"stop": True}:
            plan["stopped"] = True
            return await step.end_dialog(plan)
        if "ahead" in result:
            if not result["ahead"]:
                return await step.end_dialog(plan)
            plan["ahead"] = True
            return await step.replace_dialog(_LOOP, plan)
        fact, scope = str(result["fact"]), str(result["scope"])
        offer_name = None if scope == "partner" else str(plan["offer"])
        if result.get("unknown"):
            plan["asked"] = [*plan["asked"], [offer_name, fact]]
        else:
            value = result["value"]
            change = guarded(lambda doc: cosell.set_fact(doc, offer_name, fact, value),
                             lambda doc: offers.fact_of(doc, offer_name, fact),
                             step.values.get("before"), value)
            try:
                await self._partners.update_cosell(tenant_of(step.context), change)
            except StaleAnswer:  # answered a moment ago by another message or person: ask again
                await step.context.send_activity(_t("cosell.stale", language_of(step.context)))
                return await step.replace_dialog(_LOOP, plan)
        plan["count"] += 1
        return await step.replace_dialog(_LOOP, plan)

    def _question(self, options: Options) -> cosell.Question:
        return cosell.Question(
            fact=options["fact"], scope=options["scope"], kind=options["kind"], offer=options["offer"],
            offer_type=options["offer_type"], requirement=options["requirement"],
            outcomes=tuple(cosell.Outcome(a, v, s) for a, v, s in options["outcomes"]),
            threshold_usd=options.get("threshold"), edition=self._edition().id,
            window_months=options.get("months"), azure_share_percent=options.get("share"))

    async def _render_question(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        question = dataclasses.replace(self._question(options), offer=kit.plain(options["offer"]))
        amount = formatting.money(question.threshold_usd or 0, lang)
        known = [o for o in question.outcomes if o.answer != "unknown"]
        lines = [question.text(lang)]
        if question.kind == "amount_usd":
            lines.append(_t("cosell.amount_hint", lang, example=_t("numbers.example", lang)))
        subtle: list[str] = []
        if options.get("deferred_until"):  # asked to plan ahead: say when it starts to count
            subtle.append(_t("cosell.later.matters", lang, offer=question.offer,
                             status=cosell.status_name(options["deferred_until"], lang),
                             waiting=self._names(question.offer_type, options.get("waiting", []), lang)))
        elif len({o.status for o in known}) > 1:  # the answer decides the status: say how
            subtle.append(" · ".join(_t(f"cosell.leads.{o.answer}", lang, amount=amount,
                                        status=cosell.status_name(o.status, lang)) for o in known))
        elif options.get("unlocks"):
            subtle.append(_t("cosell.needed_for", lang, status=cosell.status_name(options["unlocks"], lang)))
        if question.scope == "partner":
            subtle.append(_t("cosell.partner_fact", lang))
        yes, no = ("button.at_least", "button.below") if question.kind == "amount_usd" else ("button.yes",
                                                                                             "button.no")
        buttons = [cards.button(_t(f"cosell.{yes}", lang, amount=amount), _t("say.yes", lang)),
                   cards.button(_t(f"cosell.{no}", lang, amount=amount), _t("say.no", lang)),
                   cards.button(_t("cosell.button.unknown", lang), _t("say.unknown", lang)),
                   cards.button(_t("cosell.button.stop", lang), _t("say.stop", lang))]
        return cards.question(heading=_t("cosell.question.title", lang, offer=question.offer),
                              progress=_t("cosell.progress", lang, count=options["count"]),
                              lines=lines, subtle=subtle, reason=reason, buttons=buttons, lang=lang)

    async def _recognize_answer(self, context: TurnContext, options: Options, said: str) -> Any:
        question = self._question(options)
        answer = {"fact": question.fact, "scope": question.scope}
        if words.is_word(said, "stop"):
            return {"stop": True}
        kind = words.which(said, ("unknown", "yes", "no"))
        if kind == "unknown":
            return {**answer, "unknown": True}
        if kind is not None:
            wanted = {"yes": ("yes", "at_least"), "no": ("no", "below")}[kind]
            outcome = next(o for o in question.outcomes if o.answer in wanted)
            return {**answer, "value": outcome.value}
        if question.kind == "amount_usd":
            amount = parse_number(said, language_of(context), whole=False)
            return {**answer, "value": str(amount)}  # exact: 99999.9999999999999 stays below 100,000
        raise InputError(f"'{said}' is not yes, no or don't know", code="guided_yes_no_expected",
                         params={"text": said})

    async def _explain_question(self, context: TurnContext, options: Options) -> Activity:
        lang = language_of(context)
        question = self._question(options)
        result = cosell.evaluate_offer(*self._partner_offer(await self._facts(context), question.offer),
                                       edition=self._edition())
        requirement = next((r for r in result.requirements if r.id == question.requirement), None)
        lines = [dataclasses.replace(question, offer=kit.plain(question.offer)).text(lang)]
        if requirement is not None:
            lines.append(_t("cosell.help.requirement", lang, requirement=requirement.name(lang),
                            status=cosell.status_name(requirement.unlocks, lang),
                            step=requirement.next_step(lang), role=requirement.role(lang),
                            link=requirement.link(lang)))
        lines.append(_t("cosell.help.answers", lang))
        return Activity(type="message", text="\n\n".join(lines))

    @staticmethod
    def _partner_offer(facts: cosell.CosellInput, name: str) -> tuple[cosell.PartnerFacts, cosell.Offer]:
        offer = offers.find(facts, name)
        if offer is None:
            raise InputError(f"there is no offer named '{name}'", code="cosell_no_such_offer",
                             params={"offer": name})
        return facts.partner, offer

    # --- questions that matter only later -------------------------------------------------------

    def _names(self, offer_type: str, requirement_ids: list[str], lang: str) -> str:
        """The requirements' names, as the checklist writes them, joined for a sentence."""
        result = cosell.evaluate_offer(cosell.PartnerFacts({}), cosell.Offer("", offer_type, {}),
                                       edition=self._edition())
        by_id = {r.id: r for r in result.requirements}
        return "; ".join(by_id[r].name(lang) for r in requirement_ids if r in by_id)

    async def _offer_type(self, context: TurnContext, name: str) -> str:
        offer = offers.find(await self._facts(context), name)
        return offer.type if offer else ""

    async def _render_later(self, context: TurnContext, options: Options, reason: str | None) -> Activity:
        lang = language_of(context)
        offer_type = await self._offer_type(context, options["offer"])
        status = cosell.status_name(options["status"], lang)
        lines = [_t("cosell.later.text", lang, offer=kit.plain(options["offer"]), status=status,
                    waiting=self._names(offer_type, options["waiting"], lang),
                    deferred=self._names(offer_type, options["deferred"], lang)),
                 _t("cosell.later.ask", lang)]
        buttons = [cards.button(_t("cosell.button.ahead", lang), _t("say.yes", lang)),
                   cards.button(_t("cosell.button.checklist", lang), _t("say.no", lang))]
        heading = _t("cosell.question.title", lang, offer=kit.plain(options["offer"]))
        return _question_card(heading, lines, reason, buttons, lang)

    async def _recognize_later(self, context: TurnContext, options: Options, said: str) -> Any:
        kind = words.which(said, ("yes", "no", "unknown"))
        if kind is None:
            raise InputError(f"'{said}' is not yes or no", code="guided_later_expected",
                             params={"text": said})
        return {"ahead": kind == "yes"}

    async def _explain_later(self, context: TurnContext, options: Options) -> Activity:
        return Activity(type="message", text=_t("cosell.later.help", language_of(context)))

    # --- the checklist ---------------------------------------------------------------------------

    async def checklist(self, context: TurnContext, offer_name: str) -> Activity:
        """The checklist card of one offer, from what is stored now."""
        lang = language_of(context)
        facts = await self._facts(context)
        offer = offers.find(facts, offer_name)
        if offer is None:
            return Activity(type="message", text=_t("cosell.no_offer", lang, offer=kit.plain(offer_name)))
        result = cosell.evaluate_offer(facts.partner, offer, edition=self._edition())
        return checklist_card(result, lang)

    # --- ending ----------------------------------------------------------------------------------

    async def on_end_dialog(
        self, context: TurnContext, instance: DialogInstance, reason: DialogReason
    ) -> None:
        """Cancelled from outside (the router's "cancel"): what was kept, as the checklist so far."""
        if reason != DialogReason.CancelCalled:
            return
        offer = _current_offer(instance)
        lang = language_of(context)
        if offer is None:
            await context.send_activity(_t("cosell.cancelled_nothing", lang))
            return
        await context.send_activity(_t("cosell.cancelled", lang, offer=kit.plain(offer)))
        await context.send_activity(await self.checklist(context, offer))


def _current_offer(instance: DialogInstance) -> str | None:
    """The offer of a running walkthrough (set once the offer is chosen)."""
    offer = instance.state.get(_OFFER_KEY)
    return str(offer) if offer else None


def _question_card(heading: str, lines: list[str], reason: str | None, buttons: list[kit.Action],
                   lang: str) -> Activity:
    return cards.question(heading=heading, lines=lines, reason=reason, buttons=buttons, lang=lang)


def checklist_card(result: cosell.OfferResult, lang: str) -> Activity:
    """The checklist of one offer (:func:`dialogs.cards.cosell.checklist_card`) as a reply."""
    return kit.reply(_checklist_card(result, lang))
