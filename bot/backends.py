"""Which storage engine the host uses: :func:`open_backend` opens SQLite in the data folder, or
PostgreSQL when ``PARTNERBOT_DATABASE_URL`` is set. Both give the same :class:`bot.storage.Backend`.

It sits above both engines, so neither imports the other's chooser (no import circle).
"""

from __future__ import annotations

from bot.settings import Settings
from bot.storage import Backend, open_sqlite_backend
from bot.storage_postgres import open_postgres_backend


async def open_backend(settings: Settings) -> Backend:
    """PostgreSQL when ``PARTNERBOT_DATABASE_URL`` is set, else SQLite in the data folder."""
    if settings.database_url:
        return await open_postgres_backend(
            settings.database_url, pool_size=settings.database_pool_size, first_owners=settings.tenant_owners
        )
    return await open_sqlite_backend(settings.database_path, first_owners=settings.tenant_owners)
