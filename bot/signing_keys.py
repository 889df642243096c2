"""The keys that sign Bot Framework tokens, fetched with a timeout, cached, and only where configured.

The SDK's token check asks ``JwtTokenExtractor.get_open_id_metadata(url)`` for the keys published at
an OpenID metadata URL; its stock key source fetches them with a blocking ``requests.get`` without
a timeout. Against a key server that accepts connections and never answers, every token check then
held a thread for good (2 → 26 threads for 24 forged tokens), and the server's event loop too unless
the check ran on a thread of its own.

:func:`install` puts :class:`KeySources` in the SDK's place (its ``metadataCache``, which is where
the SDK looks a URL up), so every key source the SDK uses is a :class:`BoundedKeySource`:

- it fetches with aiohttp on the caller's event loop, with a connect timeout and a total timeout of
  :data:`FETCH_TIMEOUT_SECONDS`, so no thread is ever involved and nothing waits longer than that;
- concurrent checks share one fetch; keys are cached for a day (as in the SDK), and a key id that is
  not among them triggers a new fetch at most once per :data:`UNKNOWN_KEY_REFETCH_SECONDS`;
- a failed fetch is remembered for :data:`FAILURE_BACKOFF_SECONDS`: meanwhile a check that needs
  the keys fails at once (503) instead of reaching out again;
- only the metadata URLs the host configured (:func:`allow`) and the ``jwks_uri`` they announce are
  fetched; any other URL the SDK asks for is refused without a connection (the token gets 503).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 3.0
MAX_DOCUMENT_BYTES = 1024 * 1024
KEYS_FRESH_SECONDS = 24 * 3600.0
UNKNOWN_KEY_REFETCH_SECONDS = 3600.0
FAILURE_BACKOFF_SECONDS = 30.0


class KeysUnavailable(OSError):
    """The signing keys cannot be fetched now (the check is answered 503: try again later)."""


class UnknownSigningKey(PermissionError):
    """The token names a signing key that the metadata does not publish (the token gets 401)."""


@dataclass(frozen=True)
class SigningKey:
    """What the SDK's ``JwtTokenExtractor`` reads of a key: the public key and its endorsements."""

    public_key: Any
    endorsements: list[str]


async def fetch_json(url: str) -> Any:
    """One JSON document over HTTP(S), bounded in time and size; :class:`KeysUnavailable` otherwise."""
    timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_SECONDS, sock_connect=CONNECT_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout, trust_env=True) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise KeysUnavailable(f"{url} answered HTTP {response.status}")
            body = await response.content.read(MAX_DOCUMENT_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError) as err:
        raise KeysUnavailable(f"cannot fetch {url}: {type(err).__name__} {err}".strip()) from None
    if len(body) > MAX_DOCUMENT_BYTES:
        raise KeysUnavailable(f"{url} sent more than {MAX_DOCUMENT_BYTES} bytes")
    try:
        return json.loads(body)
    except ValueError:
        raise KeysUnavailable(f"{url} did not send JSON") from None


class BoundedKeySource:
    """The keys published at one OpenID metadata URL (the SDK's ``_OpenIdMetadata`` interface)."""

    def __init__(self, url: str, fetch: Callable[[str], Awaitable[Any]] | None = None) -> None:
        self.url = url
        self._fetch = fetch
        self.keys: list[dict[str, Any]] = []
        self._fetched_at = float("-inf")
        self._failed_at = float("-inf")
        self._failure = ""
        # one fetch in flight per event loop (tests run several loops in one process)
        self._inflight: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future[None]] = (
            weakref.WeakKeyDictionary()
        )

    async def get(self, key_id: str | None) -> SigningKey:
        now = time.monotonic()
        if now - self._fetched_at > KEYS_FRESH_SECONDS:
            await self._refresh(required=not self.keys)
        key = self._find(key_id)
        if key is None and time.monotonic() - self._fetched_at > UNKNOWN_KEY_REFETCH_SECONDS:
            await self._refresh(required=True)
            key = self._find(key_id)
        if key is None:
            raise UnknownSigningKey(f"the token's signing key {str(key_id)[:64]!r} is not published")
        return key

    def _find(self, key_id: str | None) -> SigningKey | None:
        for key in self.keys:
            if isinstance(key, dict) and key.get("kid") == key_id:
                try:
                    public_key = RSAAlgorithm.from_jwk(json.dumps(key))
                except Exception:  # a malformed published key signs nothing
                    return None
                endorsements = key.get("endorsements") or []
                return SigningKey(public_key, [str(e) for e in endorsements if isinstance(e, str)])
        return None

    async def _refresh(self, *, required: bool) -> None:
        """Fetch the keys (shared by concurrent callers). A failure raises only when ``required``
        (no keys at all, or the token's key is unknown); otherwise the cached keys stay in use."""
        if time.monotonic() - self._failed_at < FAILURE_BACKOFF_SECONDS:
            if required:
                raise KeysUnavailable(f"{self._failure} (not tried again for {FAILURE_BACKOFF_SECONDS:g} s)")
            return
        loop = asyncio.get_running_loop()
        inflight = self._inflight.get(loop)
        if inflight is None:
            inflight = loop.create_future()
            self._inflight[loop] = inflight
            try:
                await self._fetch_keys()
            except KeysUnavailable as err:
                self._failed_at = time.monotonic()
                self._failure = str(err)
                log.error("cannot fetch the token-signing keys: %s", err)
            finally:
                inflight.set_result(None)
                del self._inflight[loop]
        else:
            await asyncio.shield(inflight)
        if required and time.monotonic() - self._failed_at < FAILURE_BACKOFF_SECONDS:
            raise KeysUnavailable(self._failure)

    async def _fetch_keys(self) -> None:
        fetch = self._fetch or fetch_json
        metadata = await fetch(self.url)
        jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
        if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
            raise KeysUnavailable(f"{self.url} names no jwks_uri")
        document = await fetch(jwks_uri)
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise KeysUnavailable(f"{jwks_uri} lists no keys")
        self.keys = keys
        self._fetched_at = time.monotonic()


class RefusedKeySource:
    """The source for a metadata URL the host did not configure: refused, nothing is fetched."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def get(self, key_id: str | None) -> SigningKey:
        raise KeysUnavailable(f"{self.url[:200]} is not a configured OpenID metadata URL")


class KeySources(dict[str, Any]):
    """The SDK's metadata cache (URL → key source), handing out only bounded, allowed sources."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed: set[str] = set()

    def get(self, url: str, default: Any = None) -> Any:
        source = super().get(url)
        if source is None:
            source = BoundedKeySource(url) if url in self.allowed else RefusedKeySource(url)
            if url in self.allowed:
                self[url] = source
        return source


def install() -> KeySources:
    """Make the SDK look its key sources up in :class:`KeySources` (once per process)."""
    current = JwtTokenExtractor.metadataCache
    if not isinstance(current, KeySources):
        current = KeySources()
        JwtTokenExtractor.metadataCache = current
    return current


def allow(*urls: str) -> None:
    """Let the SDK fetch keys from these OpenID metadata URLs (the host's configured ones)."""
    install().allowed.update(url for url in urls if url)
