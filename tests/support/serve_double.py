"""``partnerbot serve`` with the test double conversation layer, for restart tests in a subprocess.

python -m tests.support.serve_double --port PORT --data-dir DIR
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from aiohttp import web

from bot.app import create_app
from bot.settings import load_settings
from tests.support.doubles import echo_conversation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    settings = load_settings(env_file=None, port=args.port, data_dir=args.data_dir)
    logging.basicConfig(level=settings.python_log_level)
    app = create_app(settings, conversation_factory=echo_conversation)
    web.run_app(app, host=settings.bind_host, port=settings.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
