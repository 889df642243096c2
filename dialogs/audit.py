"""The one change path: every change of partner data, co-sell facts or roles, with its audit entries.

Every change of stored data goes through :meth:`dialogs.ports.PartnerRepository.change` with a
:class:`DataChange`: which tenant and document (``profile``, ``cosell`` or ``access``), a function
from the stored document to the new one, who makes it (:class:`Actor`: Entra object id, name, and
through what: chat, CLI or file), and extra writes. The storage engine (SQLite or PostgreSQL) then,
in ONE transaction:

1. reads the document and checks the actor's role (:class:`NotAllowed` when it falls short, and
   nothing is written);
2. applies the change and writes the document;
3. runs the extra writes: the change's own :attr:`DataChange.records` and :attr:`DataChange.hooks`,
   then the hooks registered on the repository for every change (:data:`Hook` gets the
   :class:`ChangeOutcome` and returns :class:`Record` rows: a monthly history snapshot, a file
   import's receipt);
4. appends one :class:`AuditEntry` per changed field (:func:`diff`), field by field, before and
   after.

A failure anywhere rolls all of it back: a change without its audit entries (or the reverse) is
never stored. The audit log is append-only; no code path updates or deletes an entry (and the
databases refuse it with a trigger).

The helpers :meth:`~dialogs.ports.PartnerRepository.update_profile` / ``update_cosell`` /
``save_profile`` / ``save_cosell`` are this same call with the turn's actor (:func:`bind_actor`).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Document = dict[str, Any]
"""A stored document (the same as :data:`dialogs.ports.Document`, which this module may not import)."""

PROFILE = "profile"
COSELL = "cosell"
ACCESS = "access"
KINDS = (PROFILE, COSELL, ACCESS)

VIEWER = "viewer"
EDITOR = "editor"
OWNER = "owner"
ROLES = (VIEWER, EDITOR, OWNER)
_RANK = {VIEWER: 0, EDITOR: 1, OWNER: 2}

CHAT = "chat"
CLI = "cli"
FILE = "file"


def at_least(role: str, needed: str) -> bool:
    return _RANK.get(role, -1) >= _RANK[needed]


@dataclass(frozen=True)
class Actor:
    """Who makes a change. ``user_id`` is the Entra object id in Teams (``from.aadObjectId``)."""

    user_id: str
    name: str
    via: str = CHAT
    checked: bool = True
    """Whether the actor's role is checked: with an app id in chat; not for the command line (whoever
    can run it can open the database anyway) nor without an app id (local development: everyone is
    an owner)."""


SYSTEM = Actor("", "partnerbot", CLI, checked=False)
"""The actor of a change made outside any turn and command (tests, samples)."""

_ACTOR: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("partnerbot_actor", default=None)


def bind_actor(actor: Actor) -> None:
    """The actor of this turn or command (this asyncio task): the host binds it for each turn."""
    _ACTOR.set(actor)


def current_actor() -> Actor:
    return _ACTOR.get() or SYSTEM


@dataclass(frozen=True)
class Mention:
    """Someone a message @mentions besides the bot: their name and Entra object id (empty when the
    channel could not tell it)."""

    name: str
    user_id: str


@dataclass(frozen=True)
class TurnInput:
    """What the sender of this turn wrote, as the host read it: text, the clicked button's value,
    and the people mentioned (for grants in chat: "make @Anna an editor")."""

    text: str = ""
    value: Mapping[str, Any] | None = None
    mentions: tuple[Mention, ...] = ()


_INPUT: contextvars.ContextVar[TurnInput | None] = contextvars.ContextVar("partnerbot_input", default=None)


def bind_input(turn_input: TurnInput) -> None:
    _INPUT.set(turn_input)


def current_input() -> TurnInput:
    return _INPUT.get() or TurnInput()


@dataclass(frozen=True)
class Record:
    """An extra row written in the same transaction as a change: ``(tenant, namespace, key)`` holds
    ``data`` (the row is replaced if it exists)."""

    namespace: str
    key: str
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Field:
    """One changed field: its path in the document and the values before and after (``None``:
    not set)."""

    path: tuple[Any, ...]
    before: Any
    after: Any


@dataclass(frozen=True)
class ChangeOutcome:
    tenant_id: str
    kind: str
    actor: Actor
    before: Document | None
    after: Document
    fields: tuple[Field, ...]
    at: str


Hook = Callable[[ChangeOutcome], Sequence[Record]]
"""An extra write computed from a change's outcome, run inside the change's transaction."""


@dataclass(frozen=True)
class DataChange:
    tenant_id: str
    kind: str
    compute: Callable[[Document | None], Document]
    actor: Actor = field(default_factory=current_actor)
    records: Sequence[Record] = ()
    hooks: Sequence[Hook] = ()
    needs: str = ""
    """The role the actor needs: editor for partner data and co-sell facts, owner for roles."""
    undoes: int | None = None
    """The audit entry this change takes back (an undo)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}")
        if not self.needs:
            object.__setattr__(self, "needs", OWNER if self.kind == ACCESS else EDITOR)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    change_id: str
    tenant_id: str
    at: str
    actor_id: str
    actor_name: str
    via: str
    kind: str
    path: tuple[Any, ...]
    before: Any
    after: Any
    undoes: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "change": self.change_id, "at": self.at, "who": self.actor_name,
                "who_id": self.actor_id, "via": self.via, "kind": self.kind, "field": field_name(self.path),
                "before": self.before, "after": self.after, "undoes": self.undoes}


class NotAllowed(Exception):
    """The actor's role does not allow this change; nothing was stored."""

    def __init__(self, tenant_id: str, needs: str, role: str, owners: Sequence[str]) -> None:
        super().__init__(f"{needs} role needed, the actor is {role}")
        self.tenant_id = tenant_id
        self.needs = needs
        self.role = role
        self.owners = tuple(owners)


# --------------------------------------------------------------------------- roles


def members(access: Document | None) -> dict[str, dict[str, str]]:
    """The stored roles: Entra object id → ``{"role": …, "name": …}``."""
    raw = (access or {}).get("members") or {}
    return {str(k): {"role": str(v.get("role")), "name": str(v.get("name") or "")}
            for k, v in raw.items() if isinstance(v, Mapping) and v.get("role") in ROLES}


def role_of(access: Document | None, user_id: str, first_owners: Sequence[str] = ()) -> str:
    found = members(access).get(user_id)
    if found is not None:
        return found["role"]
    return OWNER if user_id and user_id in first_owners else VIEWER


def with_role(access: Document | None, user_id: str, name: str, role: str | None) -> Document:
    """The access document with ``user_id`` given ``role`` (``None``: the role taken away)."""
    found = members(access)
    if role is None:
        found.pop(user_id, None)
    else:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        found[user_id] = {"role": role, "name": name or found.get(user_id, {}).get("name", "")}
    return {**dict(access or {}), "members": found}


def check_role(change: DataChange, access: Document | None, first_owners: Sequence[str]) -> None:
    """Raise :class:`NotAllowed` unless the change's actor has the role it needs."""
    actor = change.actor
    if not actor.checked:
        return
    role = role_of(access, actor.user_id, first_owners)
    if not at_least(role, change.needs):
        owners = sorted({m["name"] for m in members(access).values() if m["role"] == OWNER and m["name"]})
        raise NotAllowed(change.tenant_id, change.needs, role, owners)


# --------------------------------------------------------------------------- diff and undo


def _leaves(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _leaves(item, (*path, str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) and v.get("name") for v in value):
        for item in value:  # offers: by name, so a fact's path stays the same when offers are added
            named = {k: v for k, v in item.items() if k != "name"}
            yield (*path, {"name": str(item["name"])}), True  # the item itself (added / removed)
            yield from _leaves(named, (*path, {"name": str(item["name"])}))
    else:
        yield path, value


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def _json_default(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def diff(before: Document | None, after: Document) -> tuple[Field, ...]:
    """The fields that differ, in the order of ``after`` then the ones that disappeared."""
    old = {path_key(path): (path, value) for path, value in _leaves(_plain(before or {}), ()) if path}
    new = {path_key(path): (path, value) for path, value in _leaves(_plain(after), ()) if path}
    fields = [Field(path, old[key][1] if key in old else None, value)
              for key, (path, value) in new.items() if key not in old or old[key][1] != value]
    fields += [Field(path, value, None) for key, (path, value) in old.items() if key not in new]
    # a role given or taken away is one entry; the name that goes with it is not a second one
    roles = {f.path[:2] for f in fields
             if len(f.path) == 3 and f.path[0] == "members" and f.path[2] == "role"}
    return tuple(f for f in fields if not (len(f.path) == 3 and f.path[2] == "name" and f.path[:2] in roles))


def field_name(path: Sequence[Any]) -> str:
    """A path as text: ``metrics.deployments``, ``offers[Contoso Insights].published_live``."""
    out = ""
    for part in path:
        if isinstance(part, Mapping):
            out += f"[{part.get('name')}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def set_path(document: Mapping[str, Any] | None, path: Sequence[Any], value: Any) -> Document:
    """A copy of ``document`` with the leaf at ``path`` set to ``value`` (``None``: removed)."""
    doc: dict[str, Any] = dict(document or {})
    if not path:
        return doc
    head, rest = path[0], path[1:]
    if isinstance(head, Mapping):
        raise ValueError("a path cannot start with a list item")
    if rest and isinstance(rest[0], Mapping):  # a named list item
        name = rest[0].get("name")
        items = [dict(i) for i in (doc.get(head) or [])]
        found = next((i for i in items if i.get("name") == name), None)
        if len(rest) == 1:  # the item itself
            if value is None:
                items = [i for i in items if i.get("name") != name]
            elif found is None:
                items.append({"name": name})
        elif found is None:
            raise ValueError(f"no item named {name!r}")
        else:
            updated = set_path({k: v for k, v in found.items() if k != "name"}, rest[1:], value)
            items[items.index(found)] = {"name": name, **updated}
        doc[head] = items
        return doc
    if rest:
        inner = doc.get(head)
        doc[head] = set_path(inner if isinstance(inner, Mapping) else {}, rest, value)
    elif value is None:
        doc.pop(head, None)
    else:
        doc[head] = value
    return doc


def path_key(path: Sequence[Any]) -> str:
    """A path as stored in the audit log (JSON)."""
    return json.dumps(list(path), ensure_ascii=False)


def path_of(stored: str) -> tuple[Any, ...]:
    return tuple(json.loads(stored))


def value_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def value_of(stored: str | None) -> Any:
    return None if stored is None else json.loads(stored)
