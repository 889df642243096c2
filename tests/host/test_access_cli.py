"""``partnerbot access`` and ``partnerbot audit`` in this process, as the console script runs them,
and the bootstrap setting ``PARTNERBOT_TENANT_OWNERS``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(tmp_path / "data")])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_grant_list_revoke_and_the_audit_log(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("PARTNERBOT_TENANT_OWNERS", raising=False)
    status, out, _ = run(["access", "grant", "--tenant", "t1", "--user", "obj-anna", "--role", "owner",
                          "--name", "Anna de Vries"], tmp_path, capsys)
    assert status == 0 and out.startswith("Anna de Vries is now owner of tenant t1")
    run(["access", "grant", "--tenant", "t1", "--user", "obj-ben", "--role", "editor", "--name", "Ben"],
        tmp_path, capsys)
    status, out, _ = run(["access", "list", "--tenant", "t1"], tmp_path, capsys)
    assert out.splitlines() == ["owner   obj-anna  Anna de Vries", "editor  obj-ben  Ben"]
    status, out, _ = run(["access", "revoke", "--tenant", "t1", "--user", "obj-ben"], tmp_path, capsys)
    assert "Ben has no role in tenant t1 any more" in out
    status, out, _ = run(["access", "list", "--tenant", "t2"], tmp_path, capsys)
    assert "Tenant t2 has no owners or editors stored" in out
    run(["import", str(ROOT / "examples" / "profile-contoso.yaml"), "--tenant", "t1"], tmp_path, capsys)

    status, out, _ = run(["audit", "--tenant", "t1"], tmp_path, capsys)
    lines = out.splitlines()
    assert status == 0 and "access members.obj-anna.role: (none) -> \"owner\"" in lines[0]
    assert "access members.obj-ben.role: \"editor\" -> (none)" in lines[2]
    assert any("via cli  profile metrics.deployments_now: (none) -> 8" in line for line in lines)
    status, out, _ = run(["audit", "--tenant", "t1", "--json"], tmp_path, capsys)
    entries = json.loads(out)
    assert {e["via"] for e in entries} == {"cli"} and entries[0]["after"] == "owner"
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    status, out, _ = run(["audit", "--tenant", "t1", "--since", "2999-01-01"], tmp_path, capsys)
    assert "No changes recorded for tenant t1 since 2999-01-01" in out


@pytest.mark.parametrize(("args", "says"), [
    (["audit", "--tenant", "t1", "--since", "last week"], "'last week' is not a date"),
    (["access", "grant", "--tenant", "t1", "--user", " ", "--role", "owner"], "the user id is empty"),
    (["access", "grant", "--tenant", " ", "--user", "x", "--role", "owner"], "tenant id is empty"),
])
def test_bad_arguments_are_one_line(args, says, tmp_path, capsys) -> None:
    status, _, err = run(args, tmp_path, capsys)
    assert status == 2 and says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_first_owners_setting_is_read(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PARTNERBOT_TENANT_OWNERS", "t1=obj-a, obj-b; t2=obj-c")
    assert load_settings(env_file=None, data_dir=tmp_path).tenant_owners == {
        "t1": ("obj-a", "obj-b"), "t2": ("obj-c",)}
    monkeypatch.setenv("PARTNERBOT_TENANT_OWNERS", "t1")
    with pytest.raises(Exception, match="TENANT=ID"):
        load_settings(env_file=None, data_dir=tmp_path)
