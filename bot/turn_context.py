"""A cheaper turn context: outgoing activities are copied shallowly instead of deeply.

The SDK's :meth:`TurnContext.send_activities` deep-copies every outgoing activity before it sets
the conversation reference, type, input hint and id on it, so that the caller's object stays as
it was. Every field it sets is a top-level attribute, and nothing on the way to the channel
changes a nested object, so a shallow copy leaves the caller's activity just as untouched; a
scorecard's Adaptive Card (hundreds of nested values) is then no longer copied value by value.
The rest is the SDK's method (botbuilder-core 4.17.1) unchanged; the JSON the channel receives is
the same (``tests/perf``).
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes, ResourceResponse


class LeanTurnContext(TurnContext):  # type: ignore[misc]  # the SDK is untyped
    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        sent_non_trace_activity = False
        ref = TurnContext.get_conversation_reference(self.activity)

        def activity_validator(activity: Activity) -> Activity:
            nonlocal sent_non_trace_activity
            if not getattr(activity, "type", None):
                activity.type = ActivityTypes.message
            if activity.type != ActivityTypes.trace:
                sent_non_trace_activity = True
            if not activity.input_hint:
                activity.input_hint = "acceptingInput"
            activity.id = None
            return activity

        output = [
            activity_validator(TurnContext.apply_conversation_reference(copy.copy(act), ref))
            for act in activities
        ]

        async def logic() -> list[ResourceResponse]:
            if self.activity.delivery_mode == DeliveryModes.expect_replies:
                responses = []
                for activity in output:
                    self.buffered_reply_activities.append(activity)
                    if activity.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = activity
                    responses.append(ResourceResponse())
                if sent_non_trace_activity:
                    self.responded = True
                return responses
            sent: list[ResourceResponse] = await self.adapter.send_activities(self, output)
            if sent_non_trace_activity:
                self.responded = True
            return sent

        result: list[ResourceResponse] = await self._emit(self._on_send_activities, output, logic())
        return result


class LeanCloudAdapter(CloudAdapter):  # type: ignore[misc]  # the SDK is untyped
    """``CloudAdapter`` whose turns use :class:`LeanTurnContext`."""

    def _create_turn_context(
        self,
        activity: Activity,
        claims_identity: Any,
        oauth_scope: str,
        connector_client: Any,
        user_token_client: Any,
        logic: Callable[[TurnContext], Awaitable[Any]],
        connector_factory: Any,
    ) -> TurnContext:
        context = LeanTurnContext(self, activity)
        context.turn_state[self.BOT_IDENTITY_KEY] = claims_identity
        context.turn_state[self.BOT_CONNECTOR_CLIENT_KEY] = connector_client
        context.turn_state[self.USER_TOKEN_CLIENT_KEY] = user_token_client
        context.turn_state[self.BOT_CALLBACK_HANDLER_KEY] = logic
        context.turn_state[self.CONNECTOR_FACTORY_KEY] = connector_factory
        context.turn_state[self.BOT_OAUTH_SCOPE_KEY] = oauth_scope
        return context
