"""``partnerbot access`` (grant, revoke, list) and ``partnerbot audit``: roles and the audit trail
from the command line. Grants go through the one change path (:mod:`dialogs.audit`) like every
change, so they are in the audit log too."""

from __future__ import annotations

import datetime as dt
import json

from bot.backends import open_backend
from bot.data_commands import _check_tenant, command_actor
from bot.settings import Settings
from dialogs.audit import ACCESS, OWNER, ROLES, AuditEntry, DataChange, field_name, members, with_role
from kernel.errors import InputError
from kernel.texts import catalog


def _role(role: str | None) -> str | None:
    if role is not None and role not in ROLES:
        raise InputError(f"unknown role '{role}'", code="bot.role_unknown", params={"role": role},
                         field="--role")
    return role


def _user(user: str) -> str:
    user = user.strip()
    if not user:
        raise InputError("the user id is empty", code="bot.user_empty", field="--user")
    return user


async def set_role(settings: Settings, tenant: str, user: str, role: str | None, name: str = "") -> str:
    """Give ``user`` (an Entra object id) ``role`` in ``tenant``; ``None`` takes their role away."""
    tenant, user, role = _check_tenant(tenant), _user(user), _role(role)
    backend = await open_backend(settings)
    try:
        outcome = await backend.partners.change(DataChange(
            tenant, ACCESS, lambda doc: with_role(doc, user, name.strip(), role), actor=command_actor()))
    finally:
        await backend.close()
    known = {**members(outcome.before), **members(outcome.after)}  # a revoked person is named too
    shown = known.get(user, {}).get("name") or name.strip() or user
    if role is None:
        return catalog().text("access.cli.revoked", "en", name=shown, tenant=tenant,
                              database=settings.database_label)
    return catalog().text("access.cli.granted", "en", name=shown, role=role, tenant=tenant,
                          database=settings.database_label)


async def list_roles(settings: Settings, tenant: str) -> str:
    tenant = _check_tenant(tenant)
    backend = await open_backend(settings)
    try:
        stored = members(await backend.partners.load_access(tenant))
    finally:
        await backend.close()
    lines = [f"{m['role']:<7} {user}  {m['name']}".rstrip() for user, m in
             sorted(stored.items(), key=lambda item: (-ROLES.index(item[1]["role"]), item[1]["name"]))
             if m["role"] != "viewer"]
    first = catalog().text("access.cli.first_owner", "en")
    lines += [f"{OWNER:<7} {user}  {first}" for user in settings.tenant_owners.get(tenant, ())
              if user not in stored]
    if not lines:
        return catalog().text("access.cli.none", "en", tenant=tenant, database=settings.database_label)
    return "\n".join(lines)


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InputError(f"'{value}' is not a date", code="bot.since_invalid", params={"value": value},
                         field="--since") from None


async def audit_log(
    settings: Settings, tenant: str, since: str | None = None, *, as_json: bool = False
) -> str:
    """The tenant's audit log, oldest first: one line per changed field, or JSON."""
    tenant, start = _check_tenant(tenant), _since(since)
    backend = await open_backend(settings)
    try:
        entries = await backend.partners.audit(tenant, since=start)
    finally:
        await backend.close()
    if as_json:
        return json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2)
    if not entries:
        return catalog().text("access.cli.no_changes", "en", tenant=tenant,
                              since=f" since {start}" if start else "", database=settings.database_label)
    return "\n".join(audit_line(e) for e in entries)


def audit_line(entry: AuditEntry) -> str:
    at = entry.at.replace("T", " ")[:16] + " UTC"
    undo = f" (undo of #{entry.undoes})" if entry.undoes is not None else ""
    return (f"#{entry.seq} {at}  {entry.actor_name or entry.actor_id} via {entry.via}  "
            f"{entry.kind} {field_name(entry.path)}: {_value(entry.before)} -> {_value(entry.after)}{undo}")


def _value(value: object) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)
