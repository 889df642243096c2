"""``partnerbot package``: the Teams app package (``manifest.json``, icons, Dutch strings) as a zip.

What goes in the manifest is data: ``config/teams/app.yaml`` (developer, scopes, command list,
icons) and the ``bot.manifest.*`` texts of the catalog (English in the manifest, Dutch in
``nl.json``). The bot id comes from the settings (``MicrosoftAppId``). Icons are drawn here as PNG
with ``zlib`` and ``struct``: a 192×192 colour icon and a 32×32 white outline on transparency.

Before anything is written the manifest is checked: for what Teams refuses (GUIDs, lengths of
titles and descriptions, icon sizes), and against the Teams JSON schema (``--schema``, by default
the one of the manifest's version kept in ``config/schemas``). Every problem is listed in the error;
nothing is written when there is one.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import jsonschema

from kernel.errors import InputError
from kernel.files import config_dir, load_yaml_file
from kernel.texts import catalog

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
Pixel = tuple[int, int, int, int]


# --------------------------------------------------------------------------- PNG


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG of ``width``×``height`` whose pixel (x, y) is ``pixel(x, y)``."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _bars(size: int) -> list[tuple[int, int, int, int]]:
    """Three rising bars (a score chart) as (x0, y0, x1, y1) boxes on a ``size`` square."""
    unit = size / 16
    heights = (5, 8, 11)
    boxes = []
    for i, h in enumerate(heights):
        x0 = round(unit * (3 + 3.5 * i))
        x1 = round(unit * (5.5 + 3.5 * i))
        boxes.append((x0, round(unit * (13 - h)), x1, round(unit * 13)))
    return boxes


def color_icon(size: int, accent: str) -> bytes:
    red, green, blue = (int(accent[i : i + 2], 16) for i in (1, 3, 5))
    boxes = _bars(size)

    def pixel(x: int, y: int) -> Pixel:
        if any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in boxes):
            return (255, 255, 255, 255)
        return (red, green, blue, 255)

    return png(size, size, pixel)


def outline_icon(size: int) -> bytes:
    boxes = _bars(size)

    def pixel(x: int, y: int) -> Pixel:
        for x0, y0, x1, y1 in boxes:
            inside = x0 <= x < x1 and y0 <= y < y1
            border = x in (x0, x1 - 1) or y in (y0, y1 - 1)
            if inside and border:
                return (255, 255, 255, 255)
        return (0, 0, 0, 0)

    return png(size, size, pixel)


# --------------------------------------------------------------------------- manifest


def app_config() -> dict[str, Any]:
    path = config_dir() / "teams" / "app.yaml"
    data = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError(
            "the file must be a mapping",
            code="bot.package_config",
            params={"problem": "not a mapping"},
            source=str(path),
        )
    return data


def _texts(lang: str, commands: Iterable[str]) -> dict[str, str]:
    cat = catalog()
    texts = {
        key: cat.text(f"bot.manifest.{key}", lang)
        for key in ("name.short", "name.full", "description.short", "description.full")
    }
    for i, command in enumerate(commands):
        for part in ("title", "description"):
            texts[f"bots[0].commandLists[0].commands[{i}].{part}"] = cat.text(
                f"bot.manifest.command.{command}.{part}", lang
            )
    return texts


def build_manifest(bot_id: str, version: str | None = None) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the other files of the package (icons, localization files)."""
    if not bot_id:
        raise InputError("the bot id is empty: set MicrosoftAppId or pass --bot-id", code="bot.no_bot_id")
    if not GUID.match(bot_id):
        raise InputError(
            f"the bot id '{bot_id}' is not a GUID", code="bot.bad_bot_id", params={"value": bot_id}
        )
    config = app_config()
    try:
        commands = [str(c) for c in config["commands"]]
        default_lang = str(config["languages"]["default"])
        other_langs = [str(lang) for lang in config["languages"].get("additional") or []]
        icons = config["icons"]
        accent = str(config["accent_color"])
        manifest_version = str(config["manifest_version"])
        scopes = list(config["scopes"])
        developer = dict(config["developer"])
    except (KeyError, TypeError, AttributeError) as err:
        raise InputError(
            f"the Teams app configuration lacks {err}",
            code="bot.package_config",
            params={"problem": str(err)},
            source="config/teams/app.yaml",
        ) from None
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", accent):
        raise InputError(
            f"accent_color '{accent}' is not a #RRGGBB colour",
            code="bot.package_config",
            params={"problem": f"accent_color {accent}"},
            source="config/teams/app.yaml",
        )
    texts = _texts(default_lang, commands)
    manifest: dict[str, Any] = {
        "$schema": f"https://developer.microsoft.com/json-schemas/teams/v{manifest_version}/MicrosoftTeams.schema.json",
        "manifestVersion": manifest_version,
        "version": version or metadata.version("partnerbot"),
        "id": str(config.get("app_id") or bot_id),
        "localizationInfo": {
            "defaultLanguageTag": default_lang,
            "additionalLanguages": [{"languageTag": lang, "file": f"{lang}.json"} for lang in other_langs],
        },
        "developer": developer,
        "name": {"short": texts["name.short"], "full": texts["name.full"]},
        "description": {"short": texts["description.short"], "full": texts["description.full"]},
        "icons": {"color": icons["color"]["file"], "outline": icons["outline"]["file"]},
        "accentColor": accent,
        "bots": [
            {
                "botId": bot_id,
                "scopes": scopes,
                "supportsFiles": True,  # files sent in a personal chat, and the export (dialogs/files.py)
                "isNotificationOnly": False,
                "commandLists": [
                    {
                        "scopes": scopes,
                        "commands": [
                            {
                                "title": texts[f"bots[0].commandLists[0].commands[{i}].title"],
                                "description": texts[f"bots[0].commandLists[0].commands[{i}].description"],
                            }
                            for i in range(len(commands))
                        ],
                    }
                ],
            }
        ],
        "validDomains": [],
    }
    files: dict[str, bytes] = {
        icons["color"]["file"]: color_icon(int(icons["color"]["size"]), accent),
        icons["outline"]["file"]: outline_icon(int(icons["outline"]["size"])),
    }
    for lang in other_langs:
        localized = {
            "$schema": f"https://developer.microsoft.com/json-schemas/teams/v{manifest_version}/"
            "MicrosoftTeams.Localization.schema.json",
            **_texts(lang, commands),
        }
        files[f"{lang}.json"] = json.dumps(localized, ensure_ascii=False, indent=2).encode("utf-8")
    return manifest, files


def basic_problems(manifest: dict[str, Any], files: dict[str, bytes]) -> list[str]:
    """What Teams would refuse, checked without the JSON schema."""
    problems: list[str] = []
    if not GUID.match(str(manifest.get("id", ""))):
        problems.append("id: not a GUID")
    limits = {"name.short": 30, "name.full": 100, "description.short": 80, "description.full": 4000}
    for key, limit in limits.items():
        group, part = key.split(".")
        if len(manifest[group][part]) > limit:
            problems.append(f"{key}: longer than {limit} characters")
    for bot in manifest.get("bots", []):
        for command_list in bot.get("commandLists", []):
            if len(command_list["commands"]) > 10:
                problems.append("bots/0/commandLists/0/commands: more than 10 commands")
            for i, command in enumerate(command_list["commands"]):
                if len(command["title"]) > 32:
                    problems.append(f"bots/0/commandLists/0/commands/{i}/title: longer than 32 characters")
                if len(command["description"]) > 128:
                    problems.append(
                        f"bots/0/commandLists/0/commands/{i}/description: longer than 128 characters"
                    )
    for name in ("color", "outline"):
        file = manifest["icons"][name]
        expected = 192 if name == "color" else 32
        if file not in files:
            problems.append(f"icons.{name}: {file} is missing from the package")
        elif png_size(files[file]) != (expected, expected):
            problems.append(f"icons.{name}: {file} is not {expected}×{expected}")
    return problems


def default_schema(manifest_version: str) -> Path | None:
    path = config_dir() / "schemas" / f"MicrosoftTeams.schema.v{manifest_version}.json"
    return path if path.is_file() else None


def schema_problems(manifest: dict[str, Any], schema_path: Path) -> list[str]:
    """Every way ``manifest`` breaks the JSON schema in ``schema_path``."""
    schema = load_yaml_file(schema_path)
    validator_class: Any = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    problems = []
    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(manifest)"
        problems.append(f"{where}: {error.message}")
    return problems


def write_package(
    output: Path, *, bot_id: str, version: str | None = None, schema: Path | None = None
) -> str:
    """Check and write the package to ``output``; returns a line saying what was written and checked."""
    manifest, files = build_manifest(bot_id, version)
    problems = basic_problems(manifest, files)
    schema_path = schema or default_schema(manifest["manifestVersion"])
    if schema_path is not None:
        problems += schema_problems(manifest, schema_path)
    if problems:
        raise InputError(
            f"the Teams manifest is not valid: {'; '.join(problems)}",
            code="bot.manifest_invalid",
            params={"problems": "; ".join(problems)},
            source="manifest.json",
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, data in files.items():
            archive.writestr(name, data)
    partial.replace(output)
    cat = catalog()
    check = (
        cat.text("bot.package.checked_schema", "en", schema=schema_path)
        if schema_path
        else cat.text("bot.package.checked_basic", "en")
    )
    return cat.text("bot.package.written", "en", path=output, check=check)
