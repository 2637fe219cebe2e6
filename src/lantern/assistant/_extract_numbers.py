"""Number words to digits in German, English and Chinese ("zwei", "twenty-five", "五十").

:func:`digitize` rewrites a message so the argument patterns only look for digits:
"für vier Personen unter fünfzig Yuan" -> "für 4 Personen unter 50 Yuan",
"两个人五十块以下" -> "2个人50块以下".
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["chinese_number", "digitize"]

_ZH_DIGITS: Final = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_ZH_UNITS: Final = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_ZH_RE: Final = re.compile(
    r"[两俩](?:[十百千万][零〇一二三四五六七八九十百千万]*)?|[零〇一二三四五六七八九十百千万]+"
)
# 一 inside common words is no number: 一下 (a moment), 一起 (together), 一点 (a bit) ...
_ZH_KEEP: Final = re.compile(
    r"一下|一起|一点|一些|一直|一样|一般|一定|万一|千万|十分|统一|第一|一家|一会"
    r"|(?:周|星期|礼拜)[一二三四五六日天]"
)

_EN_UNITS: Final = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "couple": 2, "pair": 2,
}  # fmt: skip
_EN_TENS: Final = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_DE_UNITS: Final = {
    "null": 0, "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5,
    "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11,
    "zwölf": 12, "zwoelf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
    "fuenfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}  # fmt: skip
_DE_TENS: Final = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50,
    "fuenfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
_DE_ADVERBS: Final = {"zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "fuenft": 5, "sechst": 6}
_TIMES: Final = {
    "once": 1, "twice": 2, "thrice": 3, "einmal": 1, "zweimal": 2, "dreimal": 3, "viermal": 4,
    "fünfmal": 5, "fuenfmal": 5,
}  # fmt: skip
_TIMES_RE: Final = re.compile(r"\b(" + "|".join(_TIMES) + r")\b", re.IGNORECASE)

_EN_RE: Final = re.compile(
    r"\b(?:(?P<tens>{})(?:[\s-]?(?P<unit>{}))?|(?P<single>{}))(?:\s+hundred\b)?\b".format(
        "|".join(_EN_TENS), "|".join(k for k, v in _EN_UNITS.items() if 0 < v < 10),
        "|".join(_EN_UNITS)),
    re.IGNORECASE,
)  # fmt: skip
_DE_UNIT_WORDS: Final = "ein|" + "|".join(k for k, v in _DE_UNITS.items() if 0 < v < 10)
_DE_RE: Final = re.compile(
    r"\b(?:(?:(?P<unit>{})und)?(?P<tens>{})|(?P<single>{})|(?P<hundred>(?:ein)?hundert))\b"
    .format(_DE_UNIT_WORDS, "|".join(_DE_TENS), "|".join(_DE_UNITS)),
    re.IGNORECASE,
)  # fmt: skip
_DE_ZU_RE: Final = re.compile(r"\bzu (" + "|".join(_DE_ADVERBS) + r")\b", re.IGNORECASE)
_DE_UNIT_VALUES: Final = {**_DE_UNITS, "ein": 1}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral ("五十" -> 50, "一百二" -> 120); None if not one."""
    if not text or any(ch not in _ZH_DIGITS and ch not in _ZH_UNITS for ch in text):
        return None
    if all(ch in _ZH_DIGITS for ch in text) and len(text) > 1:
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    total, section, digit, last_unit = 0, 0, None, 1
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
            continue
        unit = _ZH_UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
        last_unit = unit
    if digit is not None:
        # "一百二" is 120, "三千五" is 3500: a trailing digit counts one unit below the last
        section += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return total + section


def _zh_replace(match: re.Match[str]) -> str:
    value = chinese_number(match.group(0))
    if value is None:
        return match.group(0)
    start = match.start()
    # "150一张" must not become "1501张": keep a converted number apart from digits before it
    apart = start > 0 and match.string[start - 1].isdigit()
    return f" {value}" if apart else str(value)


def _digitize_zh(text: str) -> str:
    kept: list[str] = []

    def hold(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _ZH_KEEP.sub(hold, text)
    text = _ZH_RE.sub(_zh_replace, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)


def _en_replace(match: re.Match[str]) -> str:
    if match.group("single"):
        value = _EN_UNITS[match.group("single").lower()]
    else:
        value = _EN_TENS[match.group("tens").lower()]
        if match.group("unit"):
            value += _EN_UNITS[match.group("unit").lower()]
    if match.group(0).lower().endswith("hundred"):
        value *= 100
    return str(value)


def _de_replace(match: re.Match[str]) -> str:
    if match.group("hundred"):
        return "100"
    if match.group("single"):
        return str(_DE_UNITS[match.group("single").lower()])
    value = _DE_TENS[match.group("tens").lower()]
    if match.group("unit"):
        value += _DE_UNIT_VALUES[match.group("unit").lower()]
    return str(value)


def digitize(text: str) -> str:
    """``text`` with number words in any of the three languages replaced by digits.

    "zu zweit" becomes "zu 2 Personen" so party-size patterns catch it; a lone German
    "ein"/"eine" stays (it is mostly an article).
    """
    text = _DE_ZU_RE.sub(lambda m: f"für {_DE_ADVERBS[m.group(1).lower()]} Personen", text)
    text = _TIMES_RE.sub(lambda m: f"{_TIMES[m.group(1).lower()]} times", text)
    text = _digitize_zh(text)
    text = _EN_RE.sub(_en_replace, text)
    return _DE_RE.sub(_de_replace, text)
