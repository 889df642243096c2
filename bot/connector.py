"""The connector client the bot posts its replies with: the SDK's, with a cheaper activity body.

The SDK's ``ConnectorClient`` turns an outgoing :class:`Activity` into JSON with msrest, which
walks every value of an Adaptive Card attachment (``content`` is typed ``object``) through its
generic serializer: about 5 ms of CPU for a scorecard, most of a turn's cost. For values that are
already plain JSON (``dict`` with ``str`` keys, ``list``, ``str``, ``int``, ``float``, ``bool``,
``None``, exactly those types) msrest's result is an equal copy of the value, so
:class:`ActivityBodySerializer` lets msrest serialize the activity with such contents left out and
puts the contents back in their places: the JSON posted is the same, byte for byte. A content that
is anything else (an SDK card model, a date, an enum, a tuple) goes through msrest as before.

Only the body changes: URLs, headers, credentials (the ``Authorization`` header), the HTTP
pipeline and the errors a channel's 4xx/5xx raise (``ErrorResponseException``) are the SDK's own.
:func:`with_fast_activity_bodies` is the one seam: it gives a client built by the SDK's connector
factory a ``conversations`` operation group that uses this serializer.
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.schema import Activity, Attachment
from botframework.connector import models
from botframework.connector.aio import ConnectorClient
from botframework.connector.aio.operations_async import ConversationsOperations
from msrest import Serializer

_PLAIN_SCALARS = (str, int, float, bool, type(None))

CLIENT_MODELS: dict[str, type] = {k: v for k, v in models.__dict__.items() if isinstance(v, type)}
"""The models the SDK's ``ConnectorClient`` gives its serializer (the same dictionary)."""


def is_plain_json(value: object) -> bool:
    """True when ``value`` is made only of the exact JSON types msrest copies unchanged."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        return all(type(key) is str and is_plain_json(item) for key, item in value.items())  # type: ignore[attr-defined]
    if kind is list:
        return all(is_plain_json(item) for item in value)  # type: ignore[attr-defined]
    return False


class ActivityBodySerializer(Serializer):  # msrest is untyped
    """msrest's serializer, except that plain-JSON attachment contents of an Activity body are
    copied in as they are instead of being walked value by value (same JSON, less CPU)."""

    def __init__(self) -> None:
        super().__init__(CLIENT_MODELS)  # type: ignore[no-untyped-call]

    def body(self, data: Any, data_type: str, **kwargs: Any) -> Any:
        if data_type != "Activity" or not isinstance(data, Activity) or not data.attachments:
            return super().body(data, data_type, **kwargs)  # type: ignore[no-untyped-call]
        plain: dict[int, Any] = {}
        attachments: list[Any] = []
        for index, attachment in enumerate(data.attachments):
            if (
                isinstance(attachment, Attachment)
                and isinstance(attachment.content, dict | list)
                and is_plain_json(attachment.content)
            ):
                plain[index] = attachment.content
                attachment = copy.copy(attachment)
                attachment.content = {}  # a stand-in msrest serializes at once, keeping the key's place
            attachments.append(attachment)
        if not plain:
            return super().body(data, data_type, **kwargs)  # type: ignore[no-untyped-call]
        envelope = copy.copy(data)
        envelope.attachments = attachments
        serialized = super().body(envelope, data_type, **kwargs)  # type: ignore[no-untyped-call]
        for index, content in plain.items():
            serialized["attachments"][index]["content"] = content
        return serialized


def with_fast_activity_bodies(client: ConnectorClient) -> ConnectorClient:
    """``client`` (built by the SDK) posting activities through :class:`ActivityBodySerializer`.

    Mirrors ``ConnectorClient.__init__``: the ``conversations`` operation group is rebuilt on the
    same pipeline, configuration and deserializer, with the cheaper serializer.
    """
    if isinstance(client, ConnectorClient):
        client.conversations = ConversationsOperations(
            client._client, client.config, ActivityBodySerializer(), client._deserialize
        )
    return client
