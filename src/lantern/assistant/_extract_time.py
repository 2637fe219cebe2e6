"""When a message wants something: times in German, English and Chinese -> `when`.

The vocabulary is the tool contract's (:mod:`lantern.assistant._tools`): "now", "today",
"tonight", "tomorrow", "tomorrow_evening", "weekend", "HH:MM", "tomorrow HH:MM" or an ISO
date. "heute Abend", "tonight", "今晚" -> "tonight"; "morgen um 20 Uhr" -> "tomorrow 20:00".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

__all__ = ["extract_when"]

_TIME_EN: Final = re.compile(r"(?<![\d:])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)")
_TIME_COLON: Final = re.compile(r"(?<![\d:-])([01]?\d|2[0-3])[:：]([0-5]\d)(?!\d)")
_TIME_DE: Final = re.compile(
    r"(?:um|gegen|ab|at|around|by)\s*(\d{1,2})\s*(?:uhr|h\b)(?:\s*(\d{2}))?"
)
_TIME_ZH: Final = re.compile(
    r"(早上|上午|中午|下午|傍晚|晚上|今晚|明晚|夜里)?\s*(\d{1,2})\s*[点點](半|(\d{2})分?|(\d)分)?"
)
_PM_WORDS: Final = (
    "pm", "p.m.", "下午", "傍晚", "晚上", "今晚", "明晚", "夜里", "abend", "abends", "nachmittag",
    "afternoon", "evening", "tonight",
)  # fmt: skip
_AT_BARE: Final = re.compile(
    # German "um 7": a time before a time word, a place, or the end of the clause
    r"\bum\s*(\d{1,2})(?::(\d{2}))?(?![\d:.])(?=\s*(?:früh|frueh|morgens|vormittags|nachmittags"
    r"|abends)\b|\s+(?:in|am|im|an|bei)\b|\s*[,.!?]|\s*$)"
    # English "at 3 in the afternoon", "at 8 tonight", "at 7 o'clock"
    r"|\bat\s*(\d{1,2})(?::(\d{2}))?\s*(?:o'?clock\b|(?=\s*(?:in the (?:morning|afternoon|evening)"
    r"|tonight|today|tomorrow)\b))"
)
"""An hour without am/pm or "Uhr" that its context makes a clock time ("um 7 in Binjiang",
"at 3 in the afternoon"); "at 7" alone stays unread (7 a.m. or p.m.?)."""
_HALF_DE: Final = re.compile(r"(?<![a-zäöü])halb\s*(\d{1,2})(?![\d:])")
"""German "halb drei" is half past two."""
_TOMORROW: Final = re.compile(
    r"tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|2morrow|(?<!guten )morgen(?!s)|明天|明日|明早"
    r"|明晚"
)
_EVENING: Final = re.compile(
    r"tonight|this evening|evening|tonite|(?<!to)night|heute abend|abends|abend\b|heute nacht"
    r"|今晚|晚上|夜宵|明晚|夜里|傍晚"
)
_WEEKEND: Final = re.compile(
    r"weekend|saturday|sunday|\bsat\b|wochenende|samstag|sonntag|周末|周六|周日|星期六|星期天|星期日|礼拜六|礼拜天"
)
_TODAY: Final = re.compile(r"today|heute|今天|今日")
_ISO_DATE: Final = re.compile(r"(?<!\d)20\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "januar", "jänner"),
            ("february", "feb", "februar"),
            ("march", "mar", "märz", "maerz"),
            ("april", "apr"),
            ("may", "mai"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov"),
            ("december", "dec", "dezember", "dez"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_RE: Final = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES: Final = (
    # 17.02.2026, 17/02/2026 (day first, as in German and most of the world)
    (re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](20\d\d)(?!\d)"), "dmy"),
    # 2026/02/17, 2026.2.17
    (re.compile(r"(?<!\d)(20\d\d)[./](\d{1,2})[./](\d{1,2})(?![\d.])"), "ymd"),
    # 2026年2月18号 / 日
    (re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?"), "ymd"),
    # February 20, 2026 / Feb 20th 2026
    (re.compile(_MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(20\d\d)(?!\d)"), "mdy"),
    # 20 February 2026 / 20. Februar 2026
    (
        re.compile(
            r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?" + _MONTH_RE + r",?\s+(20\d\d)(?!\d)"
        ),
        "dmy",
    ),
)
"""Dates that name their year, in the usual orders of the three languages (-> ISO)."""
_NOON: Final = re.compile(r"\bnoon\b|\bmidday\b|\bmittags?\b|中午")
_NOW: Final = re.compile(
    r"(?<![a-z])(?:now|rn|right away|asap|immediately|jetzt|sofort)(?![a-z])|现在|马上|立刻|立即"
)


def _explicit_date(prepared: str) -> str | None:
    """An ISO date for a date written with its year ("17.02.2026", "February 20, 2026",
    "2026年2月18号"); None when there is none or it is no calendar date."""
    for pattern, order in _DATES:
        match = pattern.search(prepared)
        if match is None:
            continue
        parts = match.groups()
        values = [_MONTHS[p] if p in _MONTHS else int(p) for p in parts]
        if order == "dmy":
            day, month, year = values
        elif order == "mdy":
            month, day, year = values
        else:
            year, month, day = values
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def _explicit_time(prepared: str) -> str | None:
    hour: int | None = None
    minute = 0
    if match := _TIME_EN.search(prepared):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        hour = hour % 12 + (12 if match.group(3).startswith("p") else 0)
    elif match := _TIME_COLON.search(prepared):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif match := _TIME_DE.search(prepared):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    elif match := _AT_BARE.search(prepared):
        hour_text, minute_text = match.group(1, 2) if match.group(1) else match.group(3, 4)
        hour, minute = int(hour_text), int(minute_text or 0)
    elif match := _HALF_DE.search(prepared):
        hour, minute = (int(match.group(1)) - 1) % 24, 30
    elif match := _TIME_ZH.search(prepared):
        hour = int(match.group(2))
        minute = 30 if match.group(3) == "半" else int(match.group(4) or match.group(5) or 0)
    if hour is None or hour > 23 or minute > 59:
        return None
    if hour < 12 and any(word in prepared for word in _PM_WORDS):
        hour += 12
    return f"{hour:02d}:{minute:02d}"


def extract_when(prepared: str, *, german: bool = False) -> str | None:
    """The ``when`` value of a :func:`prepare`-d message ("heute abend" -> "tonight").

    An ISO date is kept ("2026-02-14"); a date written with its year becomes one
    ("17.02.2026", "February 20, 2026", "2026年2月18号"). An explicit time wins ("tomorrow
    at 7pm" -> "tomorrow 19:00"; noon, mittags, 中午 are 12:00), then tomorrow with
    or without evening, the weekend, tonight, today and now. In German text "am" is a
    preposition ("für 6 am Samstag"), never a.m.
    """
    if iso := _ISO_DATE.search(prepared):
        return iso.group(0)
    if written := _explicit_date(prepared):
        return written
    tomorrow = _TOMORROW.search(prepared) is not None
    clock = _explicit_time(re.sub(r"\bam\b", " ", prepared) if german else prepared)
    if clock is None and _NOON.search(prepared):
        clock = "12:00"
    if clock is not None:
        return f"tomorrow {clock}" if tomorrow else clock
    evening = _EVENING.search(prepared) is not None
    if tomorrow:
        return "tomorrow_evening" if evening else "tomorrow"
    if _WEEKEND.search(prepared):
        return "weekend"
    if evening:
        return "tonight"
    if _TODAY.search(prepared):
        return "today"
    if _NOW.search(prepared):
        return "now"
    return None
