"""The host's settings: one typed object read from the environment and an optional ``.env`` file.

The Bot Framework's own names are kept (``MicrosoftAppId``, ``MicrosoftAppPassword``,
``MicrosoftAppType``, ``MicrosoftAppTenantId``) so that an Azure Bot resource's configuration can
be pasted unchanged; partnerbot's own settings start with ``PARTNERBOT_``. Anything invalid stops
start-up with one line (:func:`load_settings` raises :class:`kernel.errors.InputError`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from kernel.errors import InputError

LOCAL_TENANT = "local"
"""The tenant of every turn that does not come from Teams (terminal chat client, Emulator)."""

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
AppType = Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"]


class Settings(BaseSettings):
    """Everything the host reads from its environment. Build it with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        populate_by_name=True,
        frozen=True,
    )

    microsoft_app_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppId"))
    microsoft_app_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("MicrosoftAppPassword")
    )
    microsoft_app_type: AppType = Field(
        default="MultiTenant", validation_alias=AliasChoices("MicrosoftAppType")
    )
    microsoft_app_tenant_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppTenantId"))

    host: str | None = Field(default=None, validation_alias=AliasChoices("PARTNERBOT_HOST"))
    """Bind address; default 127.0.0.1 without an app id (local use), 0.0.0.0 with one."""
    port: int = Field(default=3978, ge=1, le=65535, validation_alias=AliasChoices("PARTNERBOT_PORT", "PORT"))
    data_dir: Path = Field(default=Path("data"), validation_alias=AliasChoices("PARTNERBOT_DATA_DIR"))
    database_url: str = Field(default="", validation_alias=AliasChoices("PARTNERBOT_DATABASE_URL"))
    """Empty: SQLite in the data folder. ``postgresql://user:password@host:port/database``: a
    PostgreSQL database that several bot processes may share."""
    database_pool_size: int = Field(
        default=10, ge=1, le=500, validation_alias=AliasChoices("PARTNERBOT_DATABASE_POOL_SIZE")
    )
    """Connections each process keeps to PostgreSQL (and one more for turn leases)."""
    allowed_tenants: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), validation_alias=AliasChoices("PARTNERBOT_ALLOWED_TENANTS")
    )
    """Empty: every tenant is served. Otherwise only these tenant ids (comma- or space-separated)."""
    allowed_channels: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(), validation_alias=AliasChoices("PARTNERBOT_ALLOWED_CHANNELS")
    )
    """With an app id: the channels besides Teams that are served (as tenant ``local``); empty: none."""
    allowed_service_urls: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias=AliasChoices("PARTNERBOT_ALLOWED_SERVICE_URLS")
    )
    """Service URLs replies may go to besides the Bot Framework and Teams hosts (and loopback
    without an app id): ``https://host[:port][/path]``, ``https://*.example.com`` for subdomains."""
    file_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), validation_alias=AliasChoices("PARTNERBOT_FILE_HOSTS")
    )
    """Hosts files sent in chat may be downloaded from (and exports uploaded to) besides SharePoint
    Online (``https://*.sharepoint.com``): ``https://host[:port][/path]`` or ``https://*.example.com``."""
    file_max_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, le=32 * 1024 * 1024,
        validation_alias=AliasChoices("PARTNERBOT_FILE_MAX_BYTES"),
    )
    """Largest file sent in chat that is read (and largest export sent)."""
    file_timeout_seconds: float = Field(
        default=20.0, gt=0, le=120, validation_alias=AliasChoices("PARTNERBOT_FILE_TIMEOUT_SECONDS")
    )
    """Longest a file's download (or an export's upload) may take, connecting included."""
    state_retention_days: float = Field(
        default=90.0, gt=0, le=36500, validation_alias=AliasChoices("PARTNERBOT_STATE_RETENTION_DAYS")
    )
    """Conversation and user state unused this long is removed (partner data never is)."""
    log_level: LogLevel = Field(default="INFO", validation_alias=AliasChoices("PARTNERBOT_LOG_LEVEL"))
    notify_every_seconds: float = Field(
        default=300.0, ge=0, le=86400, validation_alias=AliasChoices("PARTNERBOT_NOTIFY_EVERY_SECONDS")
    )
    """How often ``partnerbot serve`` sends the digests and warnings that are due; 0: never (then
    ``partnerbot notify --due`` from cron does it)."""
    today: dt.date | None = Field(default=None, validation_alias=AliasChoices("PARTNERBOT_TODAY"))
    """Run "as of" this day (YYYY-MM-DD) instead of the real date: the latest evaluable month, the
    rule edition in force, data-refresh days and expiry warnings follow it (tests, demonstrations)."""
    channel_openid_metadata_url: str = Field(
        default="", validation_alias=AliasChoices("PARTNERBOT_CHANNEL_OPENID_METADATA_URL")
    )
    """Where the keys that sign Bot Framework tokens are published. Empty: the public cloud's."""
    to_channel_from_bot_login_url: str = Field(
        default="", validation_alias=AliasChoices("PARTNERBOT_TO_CHANNEL_FROM_BOT_LOGIN_URL")
    )
    """Where the bot gets the token for its replies (the SDK's ToChannelFromBotLoginUrl, an OAuth 2.0
    authority such as ``https://login.microsoftonline.com/botframework.com``). Empty: the public
    cloud's, for the app's tenant."""
    tenant_owners: Annotated[dict[str, tuple[str, ...]], NoDecode] = Field(
        default_factory=dict, validation_alias=AliasChoices("PARTNERBOT_TENANT_OWNERS")
    )
    """The first owners per tenant, by Entra object id: ``TENANT=ID[,ID…][;TENANT=ID…]``. They are
    owners until an owner changes their role in chat or ``partnerbot access``."""

    @field_validator("microsoft_app_type", mode="before")
    @classmethod
    def _app_type_any_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            for known in ("MultiTenant", "SingleTenant", "UserAssignedMSI"):
                if value.strip().lower() == known.lower():
                    return known
        return value

    @field_validator("microsoft_app_id", "microsoft_app_tenant_id", mode="before")
    @classmethod
    def _strip(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("microsoft_app_id", "microsoft_app_tenant_id")
    @classmethod
    def _guid(cls, value: str) -> str:
        if value and not _GUID.match(value):
            raise ValueError("must be a GUID like 00000000-0000-0000-0000-000000000000")
        return value

    @field_validator("today", mode="before")
    @classmethod
    def _day(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return None
            from kernel.clock import parse_day

            return parse_day(value)
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("allowed_tenants", "allowed_channels", mode="before")
    @classmethod
    def _split_tenants(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(part for part in re.split(r"[,\s]+", value) if part)
        return value

    @field_validator("to_channel_from_bot_login_url")
    @classmethod
    def _login_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not (parts.scheme == "https" or loopback) or not parts.hostname:
            raise ValueError("must be an https URL (http only on loopback, for tests)")
        return value

    @field_validator("tenant_owners", mode="before")
    @classmethod
    def _owners(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        owners: dict[str, tuple[str, ...]] = {}
        for entry in (part.strip() for part in value.split(";")):
            if not entry:
                continue
            tenant, sep, ids = entry.partition("=")
            users = tuple(u for u in re.split(r"[,\s]+", ids) if u)
            if not sep or not tenant.strip() or not users:
                raise ValueError(f"'{entry}' is not TENANT=ID[,ID…] (entries separated by ';')")
            owners[tenant.strip()] = (*owners.get(tenant.strip(), ()), *users)
        return owners

    @field_validator("allowed_service_urls", "file_hosts", mode="before")
    @classmethod
    def _split_urls(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part for part in re.split(r"[,\s]+", value) if part)
        return value

    @field_validator("allowed_service_urls", "file_hosts")
    @classmethod
    def _service_urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from bot.connector import ServiceUrlPolicy

        ServiceUrlPolicy(value)  # ValueError names the entry that is not an http(s) URL
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be empty (SQLite) or a postgresql:// URL")
        return value

    @field_validator("host")
    @classmethod
    def _ip_address(cls, value: str | None) -> str | None:
        if value is None or value == "localhost":
            return value
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise ValueError("must be an IP address such as 127.0.0.1 or 0.0.0.0") from None
        return value

    @model_validator(mode="after")
    def _credentials_complete(self) -> Settings:
        password = self.microsoft_app_password.get_secret_value()
        if not self.microsoft_app_id and (password or self.microsoft_app_tenant_id):
            raise ValueError("MicrosoftAppPassword/MicrosoftAppTenantId are set but MicrosoftAppId is empty")
        if self.microsoft_app_type != "MultiTenant" and not self.microsoft_app_id:
            raise ValueError(f"MicrosoftAppType {self.microsoft_app_type} needs MicrosoftAppId")
        if self.microsoft_app_type == "SingleTenant" and not (password and self.microsoft_app_tenant_id):
            raise ValueError(
                "MicrosoftAppType SingleTenant needs MicrosoftAppPassword and MicrosoftAppTenantId"
            )
        if self.microsoft_app_type == "UserAssignedMSI" and not self.microsoft_app_tenant_id:
            raise ValueError("MicrosoftAppType UserAssignedMSI needs MicrosoftAppTenantId")
        if self.microsoft_app_type == "MultiTenant" and self.microsoft_app_id and not password:
            raise ValueError("MicrosoftAppId is set but MicrosoftAppPassword is empty")
        return self

    @property
    def auth_enabled(self) -> bool:
        """Requests must carry a valid Bot Framework token (an app id is configured)."""
        return bool(self.microsoft_app_id)

    @property
    def bind_host(self) -> str:
        if self.host:
            return self.host
        return "0.0.0.0" if self.auth_enabled else "127.0.0.1"

    @property
    def database_path(self) -> Path:
        """The SQLite file (used when ``database_url`` is empty)."""
        return self.data_dir / "partnerbot.sqlite3"

    @property
    def database_label(self) -> str:
        """Where the data is kept, for messages: the SQLite file, or the URL without its password."""
        return redacted_url(self.database_url) if self.database_url else str(self.database_path)

    def tenant_allowed(self, tenant_id: str) -> bool:
        return not self.allowed_tenants or tenant_id in self.allowed_tenants

    def other_channel_allowed(self, channel_id: str) -> bool:
        """Whether a channel other than Teams is served. Without an app id (local use) every one
        is; with one, only those named, as they all share the tenant ``local``."""
        return not self.auth_enabled or channel_id in self.allowed_channels

    def sdk_configuration(self) -> object:
        """The attribute bag the Bot Framework SDK's configuration classes read."""

        from botbuilder.schema import CallerIdConstants
        from botframework.connector.auth import AuthenticationConstants as Public

        config = SimpleNamespace(
            APP_ID=self.microsoft_app_id or None,
            APP_PASSWORD=self.microsoft_app_password.get_secret_value() or None,
            APP_TYPE=self.microsoft_app_type,
            APP_TENANTID=self.microsoft_app_tenant_id or None,
        )
        if self.channel_openid_metadata_url:
            # Any explicit endpoint makes the SDK use its parameterized authentication, which then
            # needs every endpoint: the public cloud's, except where the channel's keys are published.
            config.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = self.channel_openid_metadata_url
            config.TO_CHANNEL_FROM_BOT_LOGIN_URL = Public.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
            config.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = Public.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
            config.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = Public.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
            config.OAUTH_URL = Public.OAUTH_URL
            # Emulator-issued tokens are checked against the same keys: with a private metadata URL,
            # no token makes the bot fetch keys from the public cloud.
            config.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = self.channel_openid_metadata_url
            config.CALLER_ID = CallerIdConstants.public_azure_channel
            config.VALIDATE_AUTHORITY = True
        return config

    def openid_metadata_urls(self) -> tuple[str, ...]:
        """The only URLs token checks may fetch signing keys from: the configured one, or the
        public cloud's channel and emulator endpoints."""
        from botframework.connector.auth import AuthenticationConstants as Public

        if self.channel_openid_metadata_url:
            return (self.channel_openid_metadata_url,)
        return (
            Public.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
            Public.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        )

    @property
    def python_log_level(self) -> int:
        return int(logging.getLevelName(self.log_level))


def redacted_url(url: str) -> str:
    """A database URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Settings from the environment (and ``env_file`` if it exists), then ``overrides`` on top.

    ``overrides`` use field names (``port=8080``, ``data_dir=...``); ``None`` values are ignored so
    that unset command-line options leave the environment's value alone.
    """
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(_env_file=env_file, **given)  # type: ignore[call-arg]
    except ValidationError as err:
        first = err.errors()[0]
        loc = first["loc"]
        name = _env_name(str(loc[0])) if loc else "MicrosoftApp*"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise InputError(
            f"invalid setting {name}: {message}",
            code="bot.settings",
            params={"name": name, "problem": message},
        ) from None


def _env_name(field: str) -> str:
    """The environment name of a field (``port`` → ``PARTNERBOT_PORT``); unknown names unchanged."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    if isinstance(alias, AliasChoices) and alias.choices:
        return str(alias.choices[0])
    return field
