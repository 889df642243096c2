"""A loopback OAuth 2.0 token endpoint for tests: the bot's outbound token comes from here."""

from __future__ import annotations

import itertools
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TENANT_PATH = "botframework.com"


class TokenServer:
    """``POST /botframework.com/oauth2/v2.0/token`` answers a client-credentials grant with a new
    token (``token-1``, ``token-2`` …) valid ``expires_in`` seconds; every request is recorded."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.requests: list[dict[str, Any]] = []
        self.issued: list[str] = []
        self._numbers = itertools.count(1)
        app = web.Application()
        app.router.add_post(f"/{TENANT_PATH}/oauth2/v2.0/token", self._token)
        self._server = TestServer(app, host="127.0.0.1")

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append(form)
        token = f"token-{next(self._numbers)}"
        self.issued.append(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": self.expires_in, "access_token": token})

    @property
    def login_url(self) -> str:
        return str(self._server.make_url(f"/{TENANT_PATH}"))

    async def __aenter__(self) -> TokenServer:
        await self._server.start_server()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.close()
