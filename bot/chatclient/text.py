"""Text as a terminal shows it: markdown and the little HTML Teams renders made plain, and text bars.

    plain("**Total** [docs](https://x)")  →  "Total docs (https://x)"
    text_bar(0.72)                        →  "████████░░ 72 %"
"""

from __future__ import annotations

import html
import re
from typing import Any

BAR_WIDTH = 10
"""Characters of a text bar: ``████████░░ 72 %``."""
BAR_FULL = "█"
BAR_EMPTY = "░"

_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(\S(?:.*?\S)?)\*\*|__(\S(?:.*?\S)?)__")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])"
                     r"|(?<![\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])")
_DATE_FN = re.compile(r"\{\{(?:DATE|TIME)\(([^,)]+)(?:,[^)]*)?\)\}\}")
_BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_TAG = re.compile(r"</?(?:b|i|u|s|em|strong|p|div|span|at|code|pre|strike|blockquote|h\d)\b[^>]*>",
                  re.IGNORECASE)


def plain(text: Any) -> str:
    """Markdown and the little HTML Teams renders, as plain text (links keep their address)."""
    if text is None:
        return ""
    value = str(text)
    value = _DATE_FN.sub(r"\1", value)
    value = _BREAK.sub("\n", value)
    value = _TAG.sub("", value)
    value = html.unescape(value)
    value = _LINK.sub(lambda m: m.group(1) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})",
                      value)
    value = _BOLD.sub(lambda m: m.group(1) or m.group(2), value)
    value = _ITALIC.sub(lambda m: m.group(1) or m.group(2), value)
    return value.replace("\r\n", "\n").strip("\n")


def text_bar(fraction: float) -> str:
    """``████████░░ 72 %`` for ``0.72`` (clamped to 0..1)."""
    share = min(max(fraction, 0.0), 1.0)
    filled = round(share * BAR_WIDTH)
    if 0 < share < 1:
        filled = min(max(filled, 1), BAR_WIDTH - 1)  # some progress is never drawn as none or full
    return f"{BAR_FULL * filled}{BAR_EMPTY * (BAR_WIDTH - filled)} {round(share * 100)} %"
