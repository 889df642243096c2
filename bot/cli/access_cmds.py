"""``partnerbot access`` (grant, revoke, list) and ``partnerbot audit``."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli.host_cmds import tenant_options
from bot.settings import load_settings


def register(subparsers: Any) -> None:
    access = subparsers.add_parser(
        "access",
        help="give, take away or list the roles of a tenant's people",
        description="Roles per tenant: a viewer may ask anything, an editor may also change partner data "
        "and co-sell facts, an owner may also give and take away roles (in chat too). People are named "
        "by their Microsoft Entra object id (Teams' from.aadObjectId). With MicrosoftAppId set, a tenant "
        "has no editors until an owner is named, here or with PARTNERBOT_TENANT_OWNERS. Every change "
        "of a role is in the audit log.",
    )
    actions = access.add_subparsers(dest="action", metavar="ACTION", required=True)
    grant = actions.add_parser("grant", help="give a person a role",
                               description="Give a person a role in a tenant (replacing their role).")
    tenant_options(grant)
    grant.add_argument("--user", required=True, help="the person's Microsoft Entra object id")
    grant.add_argument("--role", required=True, choices=["viewer", "editor", "owner"], help="the role")
    grant.add_argument("--name", default="", help="the person's name, as the bot shows it")
    grant.set_defaults(func=_grant)
    revoke = actions.add_parser("revoke", help="take a person's role away (they become a viewer)",
                                description="Take a person's role in a tenant away: they become a viewer.")
    tenant_options(revoke)
    revoke.add_argument("--user", required=True, help="the person's Microsoft Entra object id")
    revoke.set_defaults(func=_revoke)
    listing = actions.add_parser("list", help="list a tenant's owners and editors",
                                 description="List a tenant's owners and editors (role, object id, name).")
    tenant_options(listing)
    listing.set_defaults(func=_list)

    audit = subparsers.add_parser(
        "audit",
        help="print a tenant's audit log (who changed what, when)",
        description="Print the audit log of a tenant, oldest first: when, who, through what (chat, cli, "
        "file), which field, the value before and after. The log is append-only.",
    )
    tenant_options(audit)
    audit.add_argument("--since", default=None, metavar="DATE",
                       help="only changes on or after DATE (YYYY-MM-DD)")
    audit.add_argument("--json", action="store_true", help="print JSON instead of lines")
    audit.set_defaults(func=_audit)


def _grant(args: argparse.Namespace) -> int:
    from bot import access_commands

    settings = load_settings(data_dir=args.data_dir)
    print(asyncio.run(access_commands.set_role(settings, args.tenant, args.user, args.role, args.name)))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from bot import access_commands

    settings = load_settings(data_dir=args.data_dir)
    print(asyncio.run(access_commands.set_role(settings, args.tenant, args.user, None)))
    return 0


def _list(args: argparse.Namespace) -> int:
    from bot import access_commands

    settings = load_settings(data_dir=args.data_dir)
    print(asyncio.run(access_commands.list_roles(settings, args.tenant)))
    return 0


def _audit(args: argparse.Namespace) -> int:
    from bot import access_commands

    settings = load_settings(data_dir=args.data_dir)
    print(asyncio.run(access_commands.audit_log(settings, args.tenant, args.since, as_json=args.json)))
    return 0
