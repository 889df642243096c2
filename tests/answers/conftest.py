"""Answer tests use the host's HTTP fixtures (the real app, a fake connector, SQLite in tmp_path)."""

from tests.support.fixtures import bot, fake_connector, make_bot  # noqa: F401
