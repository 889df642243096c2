"""``partnerbot import`` and ``export``: a tenant's partner profile in and out of the database.

Import checks a profile the way the scoring engine reads it (:func:`scoring.api.load_profile`, then
every record row through :func:`scoring.api.evaluate`), so a profile the bot cannot score is refused
with the file, row and field, and the stored one is left as it was. Record files named in the profile
(``records: {usage: usage.csv}``) are read at import time and stored **inline** as rows: the stored
profile is self-contained (the CSV may move or change later; the bot never reads files a tenant
named), and ``export`` prints exactly that self-contained profile, which ``import`` accepts again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.backends import open_backend
from bot.settings import Settings
from kernel.errors import InputError
from kernel.files import load_yaml_file, open_csv
from kernel.texts import catalog
from scoring.api import evaluate, load_profile, parse_profile


def _check_tenant(tenant: str) -> str:
    tenant = tenant.strip()
    if not tenant:
        raise InputError("the tenant id is empty", code="bot.tenant_empty", field="--tenant")
    return tenant


def read_profile_for_import(path: Path, *, today: dt.date | None = None) -> dict[str, Any]:
    """The C.1 mapping in ``path``, checked, with record files inlined as rows."""
    profile = load_profile(path)  # shape, keys, market, month, metric values
    evaluate(profile, today=today)  # every record row, naming file, row and field on error
    data = load_yaml_file(path)
    assert isinstance(data, Mapping)  # load_profile refused anything else
    inlined = dict(data)
    records = dict(inlined.get("records") or {})
    for kind, source in profile.records.items():
        if source.csv_path is not None:
            records[kind] = _csv_rows(source.csv_path)
    if records:
        inlined["records"] = records
    parse_profile(inlined, str(path))  # still a valid profile after inlining
    return inlined


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open_csv(path) as reader:  # a regular file (the profile's checks above read it already)
        header = [name.strip() for name in next(reader)]
        rows: list[dict[str, str]] = []
        for values in reader:
            if values:
                rows.append({name: value for name, value in zip(header, values, strict=True) if value != ""})
        return rows


async def import_profile(settings: Settings, path: Path, tenant: str) -> str:
    """Check ``path`` and store it as ``tenant``'s profile (replacing the previous one atomically)."""
    tenant = _check_tenant(tenant)
    profile = read_profile_for_import(path)
    backend = await open_backend(settings)
    try:
        await backend.partners.save_profile(tenant, profile)
    finally:
        await backend.close()
    name = profile.get("partner") or path.name
    return catalog().text(
        "bot.import.stored", "en", partner=name, tenant=tenant, database=settings.database_label
    )


async def export_profile(settings: Settings, tenant: str) -> str:
    """``tenant``'s stored profile as YAML that :func:`import_profile` accepts."""
    tenant = _check_tenant(tenant)
    if not settings.database_url and not settings.database_path.exists():
        raise InputError(
            f"no profile is stored for tenant {tenant}",
            code="bot.no_profile",
            params={"tenant": tenant},
            source=str(settings.database_path),
        )
    backend = await open_backend(settings)
    try:
        profile = await backend.partners.load_profile(tenant)
    finally:
        await backend.close()
    if profile is None:
        raise InputError(
            f"no profile is stored for tenant {tenant}",
            code="bot.no_profile",
            params={"tenant": tenant},
            source=settings.database_label,
        )
    return profile_yaml(profile)


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
        days=f"{settings.state_retention_days:g}",
        database=settings.database_label,
    )


def profile_yaml(profile: Mapping[str, Any]) -> str:
    text: str = yaml.safe_dump(dict(profile), sort_keys=False, allow_unicode=True, default_flow_style=False)
    return text
