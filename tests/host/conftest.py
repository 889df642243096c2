"""Host tests use the shared HTTP fixtures (until tests/conftest.py loads them for everyone)."""

from tests.support.fixtures import bot, echo_bot, fake_connector, make_bot, server_process  # noqa: F401
