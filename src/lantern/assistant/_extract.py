"""Rule-based argument extraction in German, English and Chinese.

Each function takes a user message and returns one argument value following the
conventions of :mod:`lantern.assistant._tools`, or None when the user did not express
it. Number words become digits first (:func:`digitize`), so "für vier Personen",
"for four people" and "四个人" all read as 4.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final

from lantern.assistant._extract_lexicon import (
    ENVELOPE_WORDS,
    find_category,
    find_item,
    find_landmark,
)
from lantern.assistant._extract_numbers import chinese_number, digitize
from lantern.assistant._extract_time import extract_when
from lantern.assistant._lang import detect_language

__all__ = [
    "extract_near",
    "extract_offer_ids",
    "extract_order_ids",
    "extract_ordinal",
    "extract_party_size",
    "extract_price_cap",
    "extract_quantity",
    "extract_when",
    "has_price_cap",
    "mentions_envelope",
    "prepare",
    "search_arguments",
]

_ID_RE: Final = re.compile(r"(?<![a-z0-9])(of|od)\s?[-_–]?\s?(\d{5}|\d{8})(?!\d)", re.IGNORECASE)
_CUR: Final = r"(?:yuan|rmb|cny|kuai|元|块钱|块|¥|€|euro|eur|快)"
_NUM: Final = r"(\d+(?:\.\d+)?)"
# a number that is a time, a count of people or part of a longer number is no price
_NOT_PRICE: Final = (
    r"(?![\d:]|\.\d|\s*(?:uhr|h\b|pm|am|o'?clock|p\.m|a\.m|people|persons|person|ppl|personen"
    r"|leute|人|个人|位|点|号|tickets|karten|张|stück|x\b|times|mal\b))"
)
_PRICE_PATTERNS: Final = tuple(
    re.compile(p)
    for p in (
        # en / de: a cap word before the number
        r"(?:under|below|less than|max(?:imum)?\.?|at most|up to|no more than|not more than"
        r"|cheaper than|within|budget(?: of| is)?|not over|unter|bis(?: zu)?|höchstens"
        r"|hoechstens|maximal|nicht mehr als|weniger als|günstiger als|guenstiger als"
        r"|billiger als|budget von|<|≤)\s*(?:¥|rmb|€)?\s*" + _NUM + _NOT_PRICE,
        # zh: a cap word before the number
        r"(?:不超过|不高于|低于|少于|最多|最高|预算|不要超过|别超过|不到|以内|控制在|小于)\s*"
        r"(?:¥)?\s*" + _NUM + _NOT_PRICE,
        # the number before a cap word
        _NUM + r"\s*" + _CUR + r"?\s*(?:(?:per person|per head|a head|each|pro person|pro kopf"
        r"|p\.\s?p\.)\s*,?\s*)?(?:以下|以内|之内|内|封顶|左右以内|or less|or under|or cheaper"
        r"|max\b|tops\b|at most|höchstens|maximal|max\.|oder weniger|oder billiger)",
    )
)
_PRICE_FALLBACK: Final = re.compile(r"(?:¥\s*" + _NUM + r"|" + _NUM + r"\s*" + _CUR + r")")

_PEOPLE: Final = (
    r"(?:people|persons|person|ppl|pax|adults|guests|friends|colleagues|coworkers|of us|kids"
    r"|personen|person|kollegen|kolleginnen|kumpels"
    r"|leute|leuten|erwachsene|erwachsenen|gäste|gaeste|freunde|freunden|kinder|pers\b"
    r"|tickets|ticket|karten|eintrittskarten|张票|张电影票|张门票|张|口人|口"
    r"|(?:个|位|名)?(?:大人|成人|人|朋友|小伙伴|同事|同学|孩子|小孩)|位)"
)
_PARTY_PATTERNS: Final = tuple(
    re.compile(p)
    for p in (
        r"(\d+)\s*" + _PEOPLE,
        r"(?:the|all)\s+(\d+)\s+of us",
        # "2 movie tickets", "2 Konzertkarten", "3 zoo-tickets": tickets of some kind
        r"(?<![\d.:])(\d+)\s*(?:[a-zäöüß]+[\s-])?[a-zäöüß]*(?:tickets?|karten)(?![a-zäöüß])",
        r"(?:party of|table for|group of|family of|familie mit|für uns|fuer uns|for us"
        r"|we are|we're|were|there are|wir sind|für|fuer|for"
        r"|tisch für|我们|一共|总共)\s*(?:insgesamt\s+|zusammen\s+|in total\s+|altogether\s+)?"
        r"(\d+)(?![\d:]|\.\d|\s*(?:" + _CUR[3:-1] + r"|pm|am|uhr|点"
        r"|o'?clock|x\b|%|杯|份|号|st\b))",
    )
)
_ME_AND: Final = re.compile(
    r"(?:\bme|\bi|ich|我)\s*(?:and|\+|und|和|跟|带)\s*(?:my\s+|meine\s+)?(\d+)\s*(?:个|位|名)?"
    r"\s*(?:friends|mates|buddies|pals|colleagues|coworkers|others|kids|people|freunde|freunden"
    r"|kumpels|kollegen|leute|朋友|同事|人|孩子)"
)
_ADULTS_KIDS: Final = re.compile(
    r"(\d+)\s*(?:adults?|grown-?ups|erwachsene[n]?|大人|成人|大)\s*(?:and|und|,|\+|&|和|加)?\s*"
    r"(\d+)\s*(?:kids?|children|child|kinder[n]?|kind|小孩|孩子|儿童|小)"
)
"""'2 adults 1 kid', '2 Erwachsene und 2 Kinder', '两大一小': a party of the sum."""
_ONE_OTHER: Final = (
    r"(?:wife|husband|partner|girlfriend|boyfriend|friend|mom|mum|mother|dad|father|sister"
    r"|brother|son|daughter|colleague|roommate|fiancée?|frau|mann|freundin|freund|partnerin"
    r"|mutter|mama|vater|papa|schwester|bruder|sohn|tochter|kollegin|kollege)"
)
_PAIR: Final = re.compile(
    r"\b(?:me|i) and my " + _ONE_OTHER + r"\b|\bmy " + _ONE_OTHER + r" and (?:i|me)\b"
    r"|\bich und meine?[nr]? " + _ONE_OTHER + r"\b|\bmeine?[nr]? " + _ONE_OTHER + r" und ich\b"
    r"|(?:für|fuer) mich und meine?[nr]? " + _ONE_OTHER + r"\b"
    r"|我(?:和|跟|带)(?:我)?的?(?:老伴|老婆|老公|妻子|丈夫|太太|先生|女朋友|男朋友|对象|朋友|妈妈|爸爸|妈|爸"
    r"|姐姐|妹妹|哥哥|弟弟|儿子|女儿|同事|室友)(?!们)"
)
"""'me and my wife', 'meine Frau und ich', '我和老伴': two people."""
_ORDINALS: Final = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
    "4th": 4, "fifth": 5, "5th": 5, "last": -1, "erste": 1, "ersten": 1, "erstes": 1,
    "erster": 1, "zweite": 2, "zweiten": 2, "zweites": 2, "zweiter": 2, "dritte": 3,
    "dritten": 3, "drittes": 3, "vierte": 4, "vierten": 4, "fünfte": 5, "fünften": 5,
    "letzte": -1, "letzten": -1, "letztes": -1,
}  # fmt: skip
_ORDINAL_RE: Final = re.compile(
    r"(?<![a-zäöüß])(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")(?![a-zäöüß])"
)
_ORDINAL_NUM_RE: Final = re.compile(
    r"(?:number|nummer|nr\.?|no\.|option|#|angebot)\s*(\d+)|第\s*(\d+|[一二三四五六七八九十两]+)"
)
_ZH_LAST_RE: Final = re.compile(r"最后(?:一|1)?(?:个|家|项|条|款)?")

_ONE_UNIT: Final = re.compile(
    r"(?<![a-zäöü])(?:ein|eine|einen)\s+(?:stück|stueck|portion|ticket|karte|mal)\b"
)
"""German "ein Stück": a lone article the number words leave alone, here a quantity of 1."""
_QUANTITY_PATTERNS: Final = tuple(
    re.compile(p)
    for p in (
        r"(?<![第\d])(\d+)\s*(?:x\b|×|times|pieces|pcs|portions|portion|cups|cup|tickets?\b"
        r"|units|of them|stück|stueck|stk|mal\b|portionen|becher|tassen|karten"
        r"|份|杯|张|个|件|瓶|碗|单|套)",
        r"(?:x|×|quantity|anzahl|menge|数量)\s*[:=]?\s*(\d+)",
        r"(?:order|buy|get|book|take|want|purchase|bestell\w*|kauf\w*|nimm|nehme|buche|买|下单|订|要)"
        r"\s*"
        r"(\d+)(?![\d:.])",
    )
)


def prepare(text: str) -> str:
    """Lower-cased ``text`` with ids blanked and number words turned into digits."""
    return digitize(_ID_RE.sub(" ", text.lower()))


def _ids(text: str, prefix: str, digits: int) -> list[str]:
    found = []
    for match in _ID_RE.finditer(text):
        if match.group(1).lower() == prefix.lower() and len(match.group(2)) == digits:
            found.append(f"{prefix}-{match.group(2)}")
    return found


def extract_offer_ids(text: str) -> list[str]:
    """Offer ids in ``text``, upper-case ("of 01234" and "OF-01234" both -> "OF-01234")."""
    return _ids(text, "OF", 5)


def extract_order_ids(text: str) -> list[str]:
    """Order ids in ``text``, upper-case ("od-00012345" -> "OD-00012345")."""
    return _ids(text, "OD", 8)


def _number(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def extract_price_cap(prepared: str) -> int | float | None:
    """The price cap in yuan of a :func:`prepare`-d message ("unter 50 Yuan" -> 50)."""
    for pattern in _PRICE_PATTERNS:
        if match := pattern.search(prepared):
            return _number(next(g for g in match.groups() if g))
    if match := _PRICE_FALLBACK.search(prepared):
        return _number(next(g for g in match.groups() if g))
    return None


def has_price_cap(prepared: str) -> bool:
    """Whether a :func:`prepare`-d message sets a price cap in words ("unter 50 Yuan",
    "no more than 30"), not merely names an amount ("pay me 88 yuan")."""
    return any(pattern.search(prepared) for pattern in _PRICE_PATTERNS)


def extract_party_size(prepared: str, *, german: bool = False) -> int | None:
    """How many people a :func:`prepare`-d message is for ("für 4 Personen" -> 4).

    In German text "am" is a preposition, so "für 2 am Wochenende" is a party of 2.
    """
    if german:
        prepared = re.sub(r"\bam\b", " ", prepared)
    if match := _ADULTS_KIDS.search(prepared):
        value = int(match.group(1)) + int(match.group(2))
        if 2 <= value <= 50:
            return value
    if match := _ME_AND.search(prepared):  # "me and 3 mates": the speaker is one more
        value = int(match.group(1)) + 1
        if 2 <= value <= 50:
            return value
    if _PAIR.search(prepared) and not any(p.search(prepared) for p in _PARTY_PATTERNS):
        return 2
    for pattern in _PARTY_PATTERNS:
        for match in pattern.finditer(prepared):
            value = int(match.group(1))
            if 1 <= value <= 50:
                return value
    return None


_LONE_NUMBER: Final = re.compile(r"(?<![\d.:第#])(\d{1,2})(?![\d.:%])")


def extract_quantity(prepared: str) -> int | None:
    """How many units a :func:`prepare`-d order message asks for ("2x" -> 2).

    Without a unit word, a single small number left beside the id is the quantity
    ("OF-00042, 2 please").
    """
    for pattern in _QUANTITY_PATTERNS:
        if match := pattern.search(prepared):
            value = int(match.group(1))
            if 1 <= value <= 99:
                return value
    if _ONE_UNIT.search(prepared):
        return 1
    lone = _LONE_NUMBER.findall(prepared)
    if len(lone) == 1 and 1 <= int(lone[0]) <= 20:
        return int(lone[0])
    return None


def extract_ordinal(text: str) -> int | None:
    """Which list entry the message points at: 1-based, -1 for "the last one"."""
    lower = text.lower()
    if _ZH_LAST_RE.search(lower):
        return -1
    if match := _ORDINAL_NUM_RE.search(lower):
        raw = match.group(1) or match.group(2)
        value = int(raw) if raw.isdigit() else chinese_number(raw)
        return value if value else None
    if match := _ORDINAL_RE.search(lower):
        return _ORDINALS[match.group(1)]
    return None


_NEAR_LATIN: Final = re.compile(
    r"(?:near|around|close to|next to|in der nähe (?:von|vom|der|des)|in der naehe von|nahe"
    r"|nähe|naehe|beim|bei)\s+(?:the\s+|dem\s+|der\s+)?((?:[A-Z][\w'-]*\s?){1,3})"
)
_NEAR_ZH: Final = re.compile(r"([\u4e00-\u9fff]{2,5}?)(?:附近|旁边|周边|一带|边上)")
_ZH_FILLER: Final = re.compile(r"^(?:帮我|给我|请|我想|我要|找|搜|在|到|去|一下|个|家|看看)+")


def extract_near(text: str, skip: tuple[int, int] | None = None) -> str | None:
    """The place a message names: a canonical landmark, else the words after "near"."""
    lower = text.lower()
    if skip is not None:
        lower = lower[: skip[0]] + " " * (skip[1] - skip[0]) + lower[skip[1] :]
    if found := find_landmark(lower):
        return found[0]
    if match := _NEAR_LATIN.search(text):
        place = match.group(1).strip()
        return place or None
    if match := _NEAR_ZH.search(text):
        place = _ZH_FILLER.sub("", match.group(1))
        return place if len(place) >= 2 else None
    return None


def mentions_envelope(lower: str) -> bool:
    """Whether a lower-cased message mentions red envelopes or vouchers."""
    return any(word in lower for word in ENVELOPE_WORDS)


def search_arguments(text: str) -> dict[str, Any]:
    """The search_offers arguments a message expresses, and only those.

    Pure in ``text``, and the router asks for it several times per message (keyword cues,
    follow-ups, the call itself): cached, with a fresh dict per call."""
    return dict(_search_arguments(text))


@lru_cache(maxsize=4096)
def _search_arguments(text: str) -> tuple[tuple[str, Any], ...]:
    lower = text.lower()
    prepared = prepare(text)
    german = detect_language(text) == "de"
    args: dict[str, Any] = {}
    found = find_item(lower)
    span = None
    if found is not None:
        args["query"], span = found
    if (category := find_category(lower)) is not None:
        args["category"] = category
    if (price := extract_price_cap(prepared)) is not None:
        args["max_price_yuan"] = price
    if (party := extract_party_size(prepared, german=german)) is not None:
        args["party_size"] = party
    if mentions_envelope(lower):
        args["with_red_envelope"] = True
    if (when := extract_when(prepared, german=german)) is not None:
        args["when"] = when
    if (near := extract_near(text, span)) is not None:
        args["near"] = near
    return tuple(args.items())
