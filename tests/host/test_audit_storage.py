"""The one change path on both engines (the storage suite's ``store`` / ``backend`` fixtures):
a change, its extra writes and its audit entries in one transaction; roles checked inside it; the
audit log append-only."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest

from bot.storage import open_sqlite_backend
from bot.storage_postgres import open_postgres_backend
from dialogs.audit import (
    ACCESS,
    CLI,
    COSELL,
    EDITOR,
    OWNER,
    PROFILE,
    VIEWER,
    Actor,
    DataChange,
    NotAllowed,
    Record,
    bind_actor,
    with_role,
)
from tests.host.test_storage import backend, store  # noqa: F401  (the shared suite's fixtures)

ROOT = Path(__file__).resolve().parents[2]
ANNA = Actor("aad-anna", "Anna de Vries", "chat")
BEN = Actor("aad-ben", "Ben Jansen", "chat")
CARLA = Actor("aad-carla", "Carla Smit", "chat")
ADMIN = Actor("cli:root", "root", CLI, checked=False)


def _set(key: str, value: object):
    def change(doc):
        return {**(doc or {}), "metrics": {**((doc or {}).get("metrics") or {}), key: value}}
    return change


async def _grant(partners, tenant: str, who: Actor, role: str, *, by: Actor = ADMIN) -> None:
    await partners.change(DataChange(tenant, ACCESS, lambda doc: with_role(doc, who.user_id, who.name, role),
                                     actor=by))


async def test_a_change_writes_the_document_and_one_audit_entry_per_field(backend):  # noqa: F811
    partners = backend.partners
    await _grant(partners, "t1", ANNA, EDITOR)
    await partners.change(DataChange("t1", PROFILE, lambda _: {"partner": "Contoso", "market": "larger",
                                                               "metrics": {"deployments": 10}}, actor=ANNA))
    outcome = await partners.change(DataChange("t1", PROFILE, _set("deployments", 12), actor=ANNA))
    assert outcome.after["metrics"]["deployments"] == 12
    entries = [e for e in await partners.audit("t1") if e.kind == PROFILE]
    assert [(e.path, e.before, e.after) for e in entries] == [
        (("partner",), None, "Contoso"), (("market",), None, "larger"),
        (("metrics", "deployments"), None, 10), (("metrics", "deployments"), 10, 12)]
    last = entries[-1]
    assert (last.actor_id, last.actor_name, last.via) == ("aad-anna", "Anna de Vries", "chat")
    assert last.at[:4] == outcome.at[:4] and last.change_id != entries[0].change_id
    assert await partners.audit("t2") == []  # per tenant


async def test_the_turn_s_actor_is_the_one_recorded_by_update_and_save(backend):  # noqa: F811
    bind_actor(Actor("aad-ben", "Ben Jansen", "chat", checked=False))
    await backend.partners.save_cosell("t1", {"partner": {"partner_id": True}, "offers": []})
    await backend.partners.update_profile("t1", _set("deployments", 3))
    entries = await backend.partners.audit("t1")
    assert {(e.kind, e.actor_name) for e in entries} == {(COSELL, "Ben Jansen"), (PROFILE, "Ben Jansen")}


async def test_a_failure_after_the_document_write_loses_the_change_and_its_audit_entries(backend):  # noqa: F811
    partners = backend.partners
    await partners.change(DataChange("t1", PROFILE, lambda _: {"partner": "Contoso"}, actor=ADMIN))
    before = await partners.audit("t1")

    def crash(outcome):  # runs after the document is written, before the audit entries
        raise RuntimeError("the process died here")

    with pytest.raises(RuntimeError):
        await partners.change(DataChange("t1", PROFILE, lambda doc: {**(doc or {}), "partner": "Fabrikam"},
                                         actor=ADMIN, hooks=[crash]))
    assert await partners.load_profile("t1") == {"partner": "Contoso"}
    assert await partners.audit("t1") == before
    # a later change goes through whole
    await partners.change(DataChange("t1", PROFILE, lambda doc: {**(doc or {}), "partner": "Fabrikam"},
                                     actor=ADMIN))
    assert [e.after for e in await partners.audit("t1")][-1] == "Fabrikam"


async def test_extra_writes_and_registered_hooks_are_written_with_the_change(backend):  # noqa: F811
    partners = backend.partners
    seen = []

    def snapshot(outcome):
        seen.append(outcome.kind)
        return [Record("history", "2026-12", {"deployments": outcome.after["metrics"]["deployments"]})]

    partners.on_change(snapshot)
    await partners.change(DataChange("t1", PROFILE, _set("deployments", 4), actor=ADMIN,
                                     records=[Record("files", "a.yaml", {"rows": 1})]))
    await partners.update_profile("t1", _set("deployments", 5))
    assert seen == [PROFILE, PROFILE]
    assert await partners.records("t1", "history") == {"2026-12": {"deployments": 5}}
    assert await partners.records("t1", "files") == {"a.yaml": {"rows": 1}}

    def failing(outcome):
        raise RuntimeError("no")

    partners.on_change(failing)  # a failing hook takes its change's records with it
    with pytest.raises(RuntimeError):
        await partners.update_profile("t1", _set("deployments", 6))
    assert await partners.records("t1", "history") == {"2026-12": {"deployments": 5}}


async def test_roles_are_checked_inside_the_change(backend):  # noqa: F811
    partners = backend.partners
    await _grant(partners, "t1", ANNA, OWNER)
    await partners.change(DataChange("t1", PROFILE, _set("deployments", 1), actor=ANNA))
    entries = await partners.audit("t1")
    # Ben has no role: a viewer. Nothing stored, nothing logged; the refusal names the owners.
    with pytest.raises(NotAllowed) as refused:
        await partners.change(DataChange("t1", PROFILE, _set("deployments", 99), actor=BEN))
    assert refused.value.owners == ("Anna de Vries",) and refused.value.role == VIEWER
    with pytest.raises(NotAllowed):
        await partners.change(DataChange("t1", COSELL, lambda _: {"offers": []}, actor=BEN))
    assert (await partners.load_profile("t1"))["metrics"]["deployments"] == 1
    assert await partners.audit("t1") == entries
    # the owner makes Ben an editor: now he may change data, but not roles
    await _grant(partners, "t1", BEN, EDITOR, by=ANNA)
    await partners.change(DataChange("t1", PROFILE, _set("deployments", 2), actor=BEN))
    with pytest.raises(NotAllowed) as grant:
        await _grant(partners, "t1", CARLA, OWNER, by=BEN)
    assert grant.value.needs == OWNER
    # roles are per tenant
    with pytest.raises(NotAllowed):
        await partners.change(DataChange("t2", PROFILE, _set("deployments", 2), actor=ANNA))
    grants = [e for e in await partners.audit("t1") if e.kind == ACCESS]
    assert [(e.actor_name, e.after) for e in grants if e.path[-1] == "role"] == [
        ("root", OWNER), ("Anna de Vries", EDITOR)]


async def test_the_first_owners_setting_makes_owners_until_a_role_is_stored(store, tmp_path):  # noqa: F811
    if store.kind == "sqlite":
        opened = await open_sqlite_backend(Path(store.where), first_owners={"t1": ["aad-carla"]})
    else:
        opened = await open_postgres_backend(store.where, pool_size=2, first_owners={"t1": ["aad-carla"]})
    store.opened.append(opened)
    partners = opened.partners
    await _grant(partners, "t1", BEN, EDITOR, by=CARLA)  # Carla is an owner by the setting
    await partners.change(DataChange("t1", PROFILE, _set("deployments", 2), actor=BEN))
    with pytest.raises(NotAllowed):  # not in another tenant
        await _grant(partners, "t2", BEN, EDITOR, by=CARLA)
    await _grant(partners, "t1", CARLA, VIEWER, by=CARLA)  # a stored role wins over the setting
    with pytest.raises(NotAllowed):
        await partners.change(DataChange("t1", PROFILE, _set("deployments", 3), actor=CARLA))


async def test_the_database_refuses_to_change_or_remove_an_audit_entry(store, backend):  # noqa: F811
    await backend.partners.change(DataChange("t1", PROFILE, _set("deployments", 1), actor=ADMIN))
    if store.kind == "sqlite":
        import sqlite3

        conn = sqlite3.connect(store.where)
        try:
            for statement in ("UPDATE audit_entry SET after = '2'", "DELETE FROM audit_entry"):
                with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                    conn.execute(statement)
        finally:
            conn.close()
    else:
        conn = await asyncpg.connect(store.where)
        try:
            for statement in ("UPDATE audit_entry SET after = '2'", "DELETE FROM audit_entry",
                              "TRUNCATE audit_entry"):
                with pytest.raises(asyncpg.RaiseError, match="append-only"):
                    await conn.execute(statement)
        finally:
            await conn.close()
    assert [e.after for e in await backend.partners.audit("t1")] == [1]


def test_no_code_path_updates_or_deletes_an_audit_entry() -> None:
    """Every statement on the audit table in the code is an INSERT or a SELECT (the migrations only
    create it and its triggers)."""
    touching = re.compile(r"(UPDATE|DELETE\s+FROM|TRUNCATE|INTO|FROM|TABLE|ON)\s+audit_entry\b", re.I)
    found = set()
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("dialogs/**/*.py")]:
        for match in touching.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1).upper().split()[0])
    assert found <= {"INTO", "FROM", "TABLE", "ON"}, found
    assert {"INTO", "FROM"} <= found  # the statements this test reads are really there
