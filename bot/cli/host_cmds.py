"""``partnerbot serve``, ``import``, ``export``, ``maintenance`` and ``package``: the host and its data."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import logging
import socket
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings, load_settings
from kernel import clock
from kernel.errors import InputError
from kernel.texts import catalog


def register(subparsers: Any) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the bot on http://HOST:PORT/api/messages",
        description="Run the bot's web server (POST /api/messages, GET /healthz). Settings come "
        "from the environment and .env; these options override them.",
    )
    _host_options(serve)
    serve.set_defaults(func=_serve)

    imp = subparsers.add_parser(
        "import",
        help="store a partner profile or co-sell facts for a tenant",
        description="Validate a data file (YAML or JSON) and store it for a tenant, replacing what was "
        "stored, each document in one transaction: a partner profile (docs/rules.md C.1), co-sell "
        "facts (C.4: 'partner' facts and 'offers'), or both as 'profile:' and 'cosell:' (what "
        "'partnerbot export --what all' prints). Record files a profile names are read and stored "
        "inline, so the stored profile does not depend on files that may move.",
    )
    imp.add_argument("profile", metavar="FILE", type=Path, help="data file (YAML or JSON)")
    tenant_options(imp)
    today_option(imp)
    imp.set_defaults(func=_import)

    exp = subparsers.add_parser(
        "export",
        help="print a tenant's stored profile and/or co-sell facts as YAML",
        description="Print what is stored for a tenant, answers given in chat included, as YAML that "
        "'partnerbot import' accepts: the profile (default), the co-sell facts, or both.",
    )
    tenant_options(exp)
    exp.add_argument(
        "--what",
        choices=("profile", "cosell", "all"),
        default="profile",
        help="profile (C.1, the default), cosell (C.4) or all (both, as 'profile:' and 'cosell:')",
    )
    exp.set_defaults(func=_export)

    note = subparsers.add_parser(
        "notify",
        help="send the digests and warnings that are due (for cron)",
        description="Send each opted-in conversation the digest and warnings that are due today, as "
        "'partnerbot serve' does every PARTNERBOT_NOTIFY_EVERY_SECONDS: a digest on the data-refresh "
        "day and after the score changed, a warning when a drop is ahead or a certification expires "
        "within 30 days. Each is sent at most once (claimed in the database), whichever process runs.",
    )
    note.add_argument("--due", action="store_true", required=True, help="send what is due now")
    data_dir_option(note)
    today_option(note)
    note.set_defaults(func=_notify)

    maint = subparsers.add_parser(
        "maintenance",
        help="remove conversation state unused for a while (partner data is kept)",
        description="Remove conversation and user state (dialog positions, pending changes, chosen "
        "language) that has not been used for --older-than-days days, as 'partnerbot serve' does "
        "every 6 hours. Partner profiles and co-sell facts are never removed. Safe while the bot runs.",
    )
    maint.add_argument(
        "--older-than-days",
        type=float,
        default=None,
        metavar="DAYS",
        help="age of the state to remove (PARTNERBOT_STATE_RETENTION_DAYS; default 90)",
    )
    data_dir_option(maint)
    maint.set_defaults(func=_maintenance)

    pkg = subparsers.add_parser(
        "package",
        help="write the Teams app package (zip)",
        description="Write the Teams app package: manifest.json (bot id from MicrosoftAppId), "
        "color.png and outline.png. The manifest is checked before anything is written.",
    )
    pkg.add_argument(
        "--output",
        "-o",
        type=Path,
        default=Path("partnerbot-teams.zip"),
        help="zip file to write (default: partnerbot-teams.zip)",
    )
    pkg.add_argument("--bot-id", default=None, help="bot (app registration) id; default MicrosoftAppId")
    pkg.add_argument("--version", default=None, help="app version in the manifest (default: the package's)")
    pkg.add_argument(
        "--schema",
        type=Path,
        default=None,
        help="Teams manifest JSON schema to validate against (needs jsonschema)",
    )
    pkg.set_defaults(func=_package)


def _host_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=None,
        help="bind address (PARTNERBOT_HOST; default 127.0.0.1 without MicrosoftAppId, else 0.0.0.0)",
    )
    parser.add_argument("--port", type=int, default=None, help="port (PARTNERBOT_PORT; default 3978)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="data folder for the SQLite database (PARTNERBOT_DATA_DIR; default ./data)",
    )
    today_option(parser)


def tenant_options(parser: argparse.ArgumentParser) -> None:
    """``--tenant`` (required) and ``--data-dir``: whose stored data, and where."""
    parser.add_argument("--tenant", required=True, help="tenant id (Teams tenant GUID, or 'local')")
    data_dir_option(parser)


def data_dir_option(parser: argparse.ArgumentParser) -> None:
    """``--data-dir``: the folder of the SQLite database (``PARTNERBOT_DATA_DIR``)."""
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (PARTNERBOT_DATA_DIR)")


def today_option(parser: argparse.ArgumentParser) -> None:
    """``--today YYYY-MM-DD``: run as of that day (``PARTNERBOT_TODAY``; default the real date)."""
    parser.add_argument(
        "--today",
        "--as-of",
        dest="today",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="run as of this day: latest evaluable month, rules in force, refresh days "
        "(PARTNERBOT_TODAY; default: today)",
    )


def _day(text: str) -> dt.date:
    try:
        return clock.parse_day(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def settings_for(args: argparse.Namespace, **overrides: Any) -> Settings:
    """The settings with the command's options on top, and the process's clock set from them."""
    settings = load_settings(today=getattr(args, "today", None), **overrides)
    clock.set_today(settings.today)
    return settings


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.python_log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import create_app, settle

    settings = settings_for(args, host=args.host, port=args.port, data_dir=args.data_dir)
    _configure_logging(settings)
    app = create_app(settings)
    settle()
    sock = listen(settings.bind_host, settings.port)  # before saying so: a busy port is one line
    logging.getLogger(__name__).info(
        "partnerbot listening on http://%s:%d/api/messages (data in %s)",
        settings.bind_host,
        settings.port,
        settings.database_label,
    )
    web.run_app(app, sock=sock, print=None, access_log=None, handle_signals=True)
    return 0


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; a port in use (or refused) is an :class:`InputError`
    that names the port and the setting to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as err:
        busy = err.errno == errno.EADDRINUSE
        code = "bot.port_in_use" if busy else "bot.cannot_listen"
        params = {"host": host, "port": port, "reason": err.strerror or str(err)}
        raise InputError(catalog().text(f"error.{code}", "en", **params), code=code, params=params) from None


def _import(args: argparse.Namespace) -> int:
    from bot import data_commands

    settings = settings_for(args, data_dir=args.data_dir)
    summary = asyncio.run(data_commands.import_file(settings, args.profile, args.tenant))
    print(summary)
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot import data_commands

    settings = load_settings(data_dir=args.data_dir)
    sys.stdout.write(asyncio.run(data_commands.export_data(settings, args.tenant, args.what)))
    return 0


def _notify(args: argparse.Namespace) -> int:
    from bot import data_commands

    settings = settings_for(args, data_dir=args.data_dir)
    _configure_logging(settings)
    print(asyncio.run(data_commands.notify_due(settings)))
    return 0


def _maintenance(args: argparse.Namespace) -> int:
    from bot import data_commands

    settings = load_settings(data_dir=args.data_dir, state_retention_days=args.older_than_days)
    print(asyncio.run(data_commands.remove_unused_state(settings)))
    return 0


def _package(args: argparse.Namespace) -> int:
    from bot import package

    settings = load_settings()
    written = package.write_package(
        args.output, bot_id=args.bot_id or settings.microsoft_app_id, version=args.version, schema=args.schema
    )
    print(written)
    return 0
