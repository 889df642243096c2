"""``partnerbot import`` and ``export``: a tenant's partner data in and out of the database.

Import reads a data file with :func:`dialogs.datafiles.read_path`: a partner profile (C.1), co-sell
facts (C.4), or both (``profile:`` and ``cosell:``), checked with the same checks a file sent in
chat gets, so data the bot cannot use is refused with the file, row and field, and the stored data
is left as it was. Record files named in a profile (``records: {usage: usage.csv}``) are read at
import time and stored **inline** as rows: the stored profile is self-contained (the CSV may move or
change later; the bot never reads files a tenant named). Export prints what is stored, answers given
in chat included, as YAML that import accepts again (import → export → import → export is exact).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path

from bot.backends import open_backend
from bot.settings import Settings
from dialogs import datafiles
from dialogs.audit import CLI, Actor, bind_actor
from kernel.errors import InputError
from kernel.formatting import unit_name
from kernel.texts import catalog


def _check_tenant(tenant: str) -> str:
    tenant = tenant.strip()
    if not tenant:
        raise InputError("the tenant id is empty", code="bot.tenant_empty", field="--tenant")
    return tenant


def command_actor() -> Actor:
    """Who runs a ``partnerbot`` command: the account of this machine (roles are not checked: whoever
    can run the command can open the database anyway)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        user = f"uid {os.getuid()}"
    return Actor(f"cli:{user}", user, CLI, checked=False)


async def import_file(settings: Settings, path: Path, tenant: str) -> str:
    """Check ``path`` and store what it gives for ``tenant`` (each document replaced atomically)."""
    tenant = _check_tenant(tenant)
    data = datafiles.read_path(path)
    backend = await open_backend(settings)
    try:
        bind_actor(command_actor())  # the audit log names who imported, via cli
        await datafiles.store(backend.partners, tenant, data)
    finally:
        await backend.close()
    lines = []
    if data.profile is not None:
        name = data.profile.get("partner") or path.name
        lines.append(catalog().text(
            "bot.import.stored", "en", partner=name, tenant=tenant, database=settings.database_label))
    if data.cosell is not None:
        lines.append(catalog().text(
            "bot.import.stored_cosell", "en", offers=len(data.cosell.get("offers") or []), tenant=tenant,
            database=settings.database_label))
    return "\n".join(lines)


async def export_data(settings: Settings, tenant: str, what: str = "profile") -> str:
    """``tenant``'s stored data (``profile``, ``cosell`` or ``all``) as YAML that import accepts."""
    tenant = _check_tenant(tenant)
    if not settings.database_url and not settings.database_path.exists():
        return datafiles.export_text(None, None, what, tenant=tenant, source=str(settings.database_path))
    backend = await open_backend(settings)
    try:
        profile = await backend.partners.load_profile(tenant)
        facts = await backend.partners.load_cosell(tenant)
    finally:
        await backend.close()
    return datafiles.export_text(profile, facts, what, tenant=tenant, source=settings.database_label)


async def notify_due(settings: Settings) -> str:
    """``partnerbot notify --due``: send the digests and warnings due today (:mod:`bot.notify`)."""
    from bot import notify
    from bot.adapter import create_authentication
    from bot.turn_context import LeanCloudAdapter

    backend = await open_backend(settings)
    authentication = create_authentication(settings)
    try:
        report = await notify.run_due(backend.partners, LeanCloudAdapter(authentication),
                                      settings.microsoft_app_id)
    finally:
        await authentication.close()
        await backend.close()
    return str(report)


async def remove_unused_state(settings: Settings) -> str:
    """``partnerbot maintenance``: remove state unused for ``settings.state_retention_days``."""
    backend = await open_backend(settings)
    try:
        removed = await backend.clean_up(dt.timedelta(days=settings.state_retention_days))
    finally:
        await backend.close()
    return catalog().text(
        "bot.maintenance.removed",
        "en",
        rows=removed,
        rows_unit=unit_name("bot.maintenance.removed.rows", removed, "en"),
        days=f"{settings.state_retention_days:g}",
        days_unit=unit_name("bot.maintenance.removed.days", settings.state_retention_days, "en"),
        database=settings.database_label,
    )
