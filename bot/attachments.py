"""Files in and out of a personal chat (:class:`dialogs.ports.FileTransfer` over HTTP).

**In.** When a user sends a file to the bot in a personal chat, Teams first stores it in the user's
OneDrive and delivers an attachment of type ``application/vnd.microsoft.teams.file.download.info``
whose ``content.downloadUrl`` is a short-lived, pre-authenticated link. :meth:`HttpFiles.download`
fetches it:

- only from an allowed host (:data:`DEFAULT_FILE_HOSTS`, SharePoint Online where OneDrive for
  Business lives, plus ``PARTNERBOT_FILE_HOSTS``); anything else is refused before a connection is
  made; redirects are not followed (a redirect could lead anywhere);
- bounded in size (``PARTNERBOT_FILE_MAX_BYTES``; a larger ``Content-Length`` is refused before the
  body is read, and reading stops one byte past the limit whatever the server claims) and in time
  (``PARTNERBOT_FILE_TIMEOUT_SECONDS`` for the whole download, connecting included).

**Out.** A bot may send a file in a personal chat only after the user accepted it (Teams' file
consent card); Teams then gives an ``uploadUrl`` in the user's OneDrive, and
:meth:`HttpFiles.upload` puts the content there in one ``PUT`` with the same host rule and bounds.

The URLs carry access tokens, so they are never logged: a log line names the host only.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp

from bot.connector import CONNECT_TIMEOUT_SECONDS, ServiceUrlPolicy
from kernel.errors import InputError

log = logging.getLogger(__name__)

DEFAULT_FILE_HOSTS = ("https://*.sharepoint.com",)
"""Where Teams keeps the files of a personal chat: the users' OneDrive for Business
(``contoso-my.sharepoint.com``) in SharePoint Online. Teams does not support files for bots in GCC
High, DoD or 21Vianet."""
DEFAULT_MAX_BYTES = 4 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 20.0
_CHUNK = 64 * 1024


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


class HttpFiles:
    """Downloads and uploads for :class:`dialogs.ports.FileTransfer`, on one aiohttp session."""

    def __init__(
        self,
        extra_hosts: tuple[str, ...] = (),
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.policy = ServiceUrlPolicy(extra_hosts, defaults=DEFAULT_FILE_HOSTS)
        self.max_bytes = max_bytes
        self.timeout = aiohttp.ClientTimeout(
            total=timeout_seconds, sock_connect=min(CONNECT_TIMEOUT_SECONDS, timeout_seconds)
        )
        self.timeout_seconds = timeout_seconds
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _check_host(self, url: str, name: str) -> None:
        if not self.policy.allows(url):
            log.warning("refused a file transfer for %r: host %s is not allowed (PARTNERBOT_FILE_HOSTS)",
                        name[:100], _host(url)[:100])
            raise InputError(
                "the file is not at a place the bot may read from",
                code="files.host_not_allowed",
                params={"host": _host(url)[:100]},
                source=name,
            )

    def _too_large(self, name: str) -> InputError:
        limit = f"{self.max_bytes / (1024 * 1024):g} MB"
        return InputError(f"the file is larger than {limit}", code="files.too_large",
                          params={"limit": limit}, source=name)

    def _timed_out(self, name: str) -> InputError:
        return InputError(
            f"the file did not arrive within {self.timeout_seconds:g} seconds",
            code="files.timeout",
            params={"seconds": f"{self.timeout_seconds:g}"},
            source=name,
        )

    async def download(self, url: str, name: str) -> bytes:
        self._check_host(url, name)
        try:
            async with self._client().get(url, allow_redirects=False, timeout=self.timeout) as answer:
                if answer.status != 200:
                    log.warning("download of %r from %s answered HTTP %d", name[:100], _host(url),
                                answer.status)
                    raise InputError(f"the file could not be fetched (HTTP {answer.status})",
                                     code="files.download_failed", params={"status": answer.status},
                                     source=name)
                if answer.content_length is not None and answer.content_length > self.max_bytes:
                    raise self._too_large(name)
                received = bytearray()
                async for chunk in answer.content.iter_chunked(_CHUNK):
                    received += chunk
                    if len(received) > self.max_bytes:
                        raise self._too_large(name)
                return bytes(received)
        except TimeoutError:
            log.warning("download of %r from %s timed out", name[:100], _host(url))
            raise self._timed_out(name) from None
        except aiohttp.ClientError as err:
            log.warning("download of %r from %s failed: %s", name[:100], _host(url), type(err).__name__)
            raise InputError("the file could not be fetched", code="files.download_failed",
                             params={"status": type(err).__name__}, source=name) from None

    async def upload(self, url: str, name: str, content: bytes) -> None:
        self._check_host(url, name)
        if len(content) > self.max_bytes:
            raise self._too_large(name)
        size = len(content)
        headers = {
            "Content-Length": str(size),
            "Content-Range": f"bytes 0-{max(size - 1, 0)}/{size}",
        }
        try:
            async with self._client().put(
                url, data=content, headers=headers, allow_redirects=False, timeout=self.timeout
            ) as answer:
                await answer.read()
                if answer.status not in (200, 201):
                    log.warning("upload of %r to %s answered HTTP %d", name[:100], _host(url), answer.status)
                    raise InputError(f"the file could not be sent (HTTP {answer.status})",
                                     code="files.upload_failed", params={"status": answer.status},
                                     source=name)
        except TimeoutError:
            log.warning("upload of %r to %s timed out", name[:100], _host(url))
            raise self._timed_out(name) from None
        except aiohttp.ClientError as err:
            log.warning("upload of %r to %s failed: %s", name[:100], _host(url), type(err).__name__)
            raise InputError("the file could not be sent", code="files.upload_failed",
                             params={"status": type(err).__name__}, source=name) from None
