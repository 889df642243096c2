"""The host: aiohttp app, Bot Framework adapter and auth, SQLite storage, Teams handling, CLI."""
