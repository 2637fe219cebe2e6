"""The assistant's tool contract: names, JSON schemas and value conventions.

Every backend (the embedded semantic router, any OpenAI-compatible LLM) calls tools by
these names with arguments following these conventions, and the evaluation compares
against them. The conventions are written into the schema descriptions so a real LLM
follows them too:

- ids: offers ``OF-01234`` (5 digits), orders ``OD-00012345`` (8 digits); compared
  case-insensitively, written upper-case by :func:`normalize_arguments`.
- ``query``: the item the user wants as a short lower-case English keyword when it is a
  known item ("milk tea", "hotpot", "cinema"; 奶茶 and Milchtee both become "milk tea"),
  otherwise the user's own words.
- ``category``: gastronomy | entertainment | leisure.
- ``max_price_yuan``: the most the user will pay for one unit of the offer, in yuan.
- ``party_size``: how many people the offer is for.
- ``with_red_envelope``: true when the user wants offers a red envelope can pay for.
- ``when``: one of :data:`WHEN_WORDS` ("now", "today", "tonight", "tomorrow",
  "tomorrow_evening", "weekend"), or "HH:MM" (today, 24-hour clock), or
  "tomorrow HH:MM", or an ISO date "YYYY-MM-DD". :func:`when_window` turns any of
  these into a time window.
- ``near``: a place in Hangzhou; well-known landmarks use one canonical English name
  (:data:`LANDMARKS`: 西湖 / Westsee -> "West Lake"), other places are kept as given.
- Only arguments the user actually expressed are present.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from lantern.assistant._types import ToolSpec
from lantern.errors import InvalidInput

__all__ = [
    "CATEGORIES",
    "LANDMARKS",
    "NO_TOOL",
    "OFFER_ID_RE",
    "ORDER_ID_RE",
    "TOOL_NAMES",
    "TOOL_SPECS",
    "WHEN_WORDS",
    "ToolArgumentsInvalid",
    "normalize_arguments",
    "tool_spec",
    "when_window",
]

NO_TOOL: Final = "none"
"""The evaluation's name for "no tool applies" (chit-chat, out of scope, money grabs)."""

CATEGORIES: Final = ("gastronomy", "entertainment", "leisure")
WHEN_WORDS: Final = ("now", "today", "tonight", "tomorrow", "tomorrow_evening", "weekend")

OFFER_ID_RE: Final = re.compile(r"\bOF-\d{5}\b", re.IGNORECASE)
ORDER_ID_RE: Final = re.compile(r"\bOD-\d{8}\b", re.IGNORECASE)
_HHMM_RE: Final = re.compile(r"^(?:tomorrow )?([01]\d|2[0-3]):([0-5]\d)$")
_DATE_RE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")

LANDMARKS: Final[Mapping[str, tuple[str, ...]]] = {
    "West Lake": ("west lake", "westlake", "westsee", "西湖"),
    "Lingyin Temple": ("lingyin", "lingyin temple", "lingyin-tempel", "灵隐寺", "灵隐"),
    "Leifeng Pagoda": ("leifeng", "leifeng pagoda", "leifeng-pagode", "雷峰塔"),
    "Hefang Street": (
        "hefang",
        "hefang street",
        "hefang-straße",
        "hefang-strasse",
        "河坊街",
        "清河坊",
    ),
    "Wulin Square": ("wulin", "wulin square", "wulin-platz", "武林广场"),
    "Xixi Wetland": ("xixi", "xixi wetland", "xixi-feuchtgebiet", "西溪湿地", "西溪"),
    "Qianjiang New Town": ("qianjiang", "qianjiang new town", "钱江新城"),
    "Binjiang": ("binjiang", "滨江"),
    "Hangzhou East Station": (
        "hangzhou east",
        "east station",
        "hangzhou east station",
        "ostbahnhof",
        "bahnhof hangzhou ost",
        "hangzhou ost",
        "杭州东站",
        "东站",
    ),
    "Hangzhou Railway Station": (
        "hangzhou railway station",
        "railway station",
        "hauptbahnhof",
        "杭州站",
        "城站",
        "火车站",
    ),
    "Zhejiang University": (
        "zhejiang university",
        "zhejiang-uni",
        "zhejiang uni",
        "zhejiang-universität",
        "zhejiang universität",
        "zju",
        "浙大",
        "浙江大学",
    ),
    "Xiaoshan Airport": ("xiaoshan airport", "flughafen", "airport", "萧山机场", "机场"),
    "Broken Bridge": ("broken bridge", "断桥"),
    "Hangzhou Zoo": ("hangzhou zoo", "杭州动物园"),
    "Hubin": ("hubin", "lakeside", "湖滨"),
    "Huanglong": ("huanglong", "黄龙"),
    "Grand Canal": ("grand canal", "kaiserkanal", "gongchen bridge", "大运河", "拱宸桥"),
}
"""Canonical English landmark name -> lower-case spellings users write (en, de, zh)."""

_ID = {"type": "string"}
_OFFER_ID_DESC = (
    'Offer id as shown in search results, e.g. "OF-01234" (OF- and 5 digits, '
    "case-insensitive). Resolve 'the second one' to the id of that search result."
)
_ORDER_ID_DESC = 'Order id, e.g. "OD-00012345" (OD- and 8 digits, case-insensitive).'

_SEARCH_PARAMETERS: Final[dict[str, Any]] = {
    "type": "object",
    "properties": {
        "query": {
            "type": "string",
            "description": "The item wanted, as a short lower-case English keyword whatever "
            'the user\'s language: 奶茶 / Milchtee -> "milk tea", 火锅 -> "hotpot", '
            '电影 / Kino -> "cinema". Use the user\'s own words for unknown items.',
        },
        "category": {
            "type": "string",
            "enum": list(CATEGORIES),
            "description": "gastronomy (food and drinks), entertainment (cinema, KTV, "
            "concerts, escape rooms), leisure (spa, hot springs, parks, boats, zoo).",
        },
        "max_price_yuan": {
            "type": "number",
            "minimum": 0,
            "description": 'Most the user pays for one unit, in yuan ("under 50 yuan", '
            '"unter 50 Yuan", "五十块以下" -> 50).',
        },
        "party_size": {
            "type": "integer",
            "minimum": 1,
            "description": 'Number of people ("for 4 people", "für vier Personen", "四个人").',
        },
        "with_red_envelope": {
            "type": "boolean",
            "description": "true when the user wants offers a red envelope (红包, "
            "Rotes Kuvert) can pay for.",
        },
        "when": {
            "type": "string",
            "description": 'When: one of "now", "today", "tonight", "tomorrow", '
            '"tomorrow_evening", "weekend"; or "HH:MM" (today, 24-hour clock), '
            '"tomorrow HH:MM", or an ISO date "YYYY-MM-DD". 今晚 / heute Abend -> "tonight".',
        },
        "near": {
            "type": "string",
            "description": "A place in Hangzhou. Well-known landmarks by their English name "
            '(西湖 / Westsee -> "West Lake", 灵隐寺 -> "Lingyin Temple"); others as given.',
        },
    },
    "required": [],
    "additionalProperties": False,
}

TOOL_SPECS: Final[tuple[ToolSpec, ...]] = (
    ToolSpec(
        name="search_offers",
        description="Search offers in Hangzhou (food and drinks, tickets, leisure) by item, "
        "category, price cap, party size, time, place and red-envelope eligibility. Pass only "
        "the filters the user expressed.",
        parameters=_SEARCH_PARAMETERS,
    ),
    ToolSpec(
        name="claim_red_envelope",
        description="Claim today's red envelope of the running campaign for the signed-in "
        "user. Never for another user, and never an amount the user names.",
        parameters={"type": "object", "properties": {}, "additionalProperties": False},
    ),
    ToolSpec(
        name="list_my_envelopes",
        description="List the signed-in user's red envelopes and vouchers with their "
        "amounts, expiry and whether they are used.",
        parameters={"type": "object", "properties": {}, "additionalProperties": False},
    ),
    ToolSpec(
        name="place_order",
        description="Order an offer for the signed-in user, paid with their red envelopes "
        "first, then cash. Spends money: call it only after the user explicitly confirmed "
        "this offer and quantity.",
        parameters={
            "type": "object",
            "properties": {
                "offer_id": {**_ID, "description": _OFFER_ID_DESC},
                "quantity": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "How many units; 1 when the user did not say.",
                },
            },
            "required": ["offer_id"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        name="track_order",
        description="Show the state of one of the signed-in user's orders (paid, on the "
        "way, delivered, ticket code).",
        parameters={
            "type": "object",
            "properties": {"order_id": {**_ID, "description": _ORDER_ID_DESC}},
            "required": ["order_id"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        name="cancel_order",
        description="Cancel one of the signed-in user's orders and refund it (vouchers back, "
        "cash back). Ask for confirmation first.",
        parameters={
            "type": "object",
            "properties": {"order_id": {**_ID, "description": _ORDER_ID_DESC}},
            "required": ["order_id"],
            "additionalProperties": False,
        },
    ),
    ToolSpec(
        name="campaign_status",
        description="The running red-envelope campaign: its dates, rules, what remains of "
        "the pool and what the user can still claim.",
        parameters={"type": "object", "properties": {}, "additionalProperties": False},
    ),
)

TOOL_NAMES: Final = tuple(spec.name for spec in TOOL_SPECS)


class ToolArgumentsInvalid(InvalidInput):
    """A tool call's arguments break the contract (unknown tool or argument, bad value)."""

    code = "TOOL_ARGUMENTS_INVALID"


def tool_spec(name: str) -> ToolSpec:
    """The spec of the tool ``name``; :class:`ToolArgumentsInvalid` if there is none."""
    for spec in TOOL_SPECS:
        if spec.name == name:
            return spec
    msg = f"unknown tool {name!r}; the tools are {', '.join(TOOL_NAMES)}"
    raise ToolArgumentsInvalid(msg)


def _check_value(tool: str, key: str, schema: Mapping[str, Any], value: Any) -> Any:
    kind = schema["type"]
    ok = {
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }[kind]
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        value, ok = int(value), True
    if not ok:
        msg = f"{tool}: argument {key!r} must be a {kind}, got {value!r}"
        raise ToolArgumentsInvalid(msg)
    if "enum" in schema and value not in schema["enum"]:
        msg = f"{tool}: argument {key!r} must be one of {schema['enum']}, got {value!r}"
        raise ToolArgumentsInvalid(msg)
    if "minimum" in schema and value < schema["minimum"]:
        msg = f"{tool}: argument {key!r} must be at least {schema['minimum']}, got {value!r}"
        raise ToolArgumentsInvalid(msg)
    return value


def normalize_arguments(name: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Check ``arguments`` against tool ``name``'s schema; ids upper-case, ``when`` valid.

    Raises :class:`ToolArgumentsInvalid` naming the tool, the argument and what was wrong.
    """
    properties: Mapping[str, Any] = tool_spec(name).parameters.get("properties", {})
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        if key not in properties:
            msg = f"{name}: unknown argument {key!r}; expected some of {sorted(properties)}"
            raise ToolArgumentsInvalid(msg)
        out[key] = _check_value(name, key, properties[key], value)
    for key, pattern in (("offer_id", OFFER_ID_RE), ("order_id", ORDER_ID_RE)):
        if key in out:
            if not pattern.fullmatch(out[key].strip()):
                msg = f"{name}: {key} {out[key]!r} is not an id like {pattern.pattern[2:-2]}"
                raise ToolArgumentsInvalid(msg)
            out[key] = out[key].strip().upper()
    if "when" in out:
        when_window(out["when"], datetime.now().astimezone())
    for key in tool_spec(name).parameters.get("required", []):
        if key not in out:
            msg = f"{name}: argument {key!r} is required"
            raise ToolArgumentsInvalid(msg)
    return out


_NAMED_WINDOWS: Final[Mapping[str, tuple[int, int, int]]] = {
    "today": (0, 0, 24),
    "tonight": (0, 18, 24),
    "tomorrow": (1, 0, 24),
    "tomorrow_evening": (1, 18, 24),
}
"""Named ``when`` values as (day offset, first hour, end hour) windows."""


def _named_window(when: str, now: datetime) -> tuple[datetime, datetime] | None:
    tz, today = now.tzinfo, now.date()
    if when == "now":
        return now, now + timedelta(hours=1)
    if when in _NAMED_WINDOWS:
        day_offset, first_hour, end_hour = _NAMED_WINDOWS[when]
        day = datetime.combine(today + timedelta(days=day_offset), time(0), tzinfo=tz)
        start = day + timedelta(hours=first_hour)
        return max(now, start), day + timedelta(hours=end_hour)
    if when == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - timedelta(days=1)
        start = datetime.combine(saturday, time(0), tzinfo=tz)
        return max(now, start), start + timedelta(days=2)
    return None


def when_window(when: str, now: datetime) -> tuple[datetime, datetime]:
    """The time window ``[start, end)`` that a ``when`` value means, seen from ``now``.

    ``now`` must be timezone-aware (the campaign calendar uses Asia/Shanghai). "HH:MM"
    is a one-hour window from that time today; "tonight" is 18:00 to midnight. Windows
    never start before ``now`` except for explicit times and dates.
    """
    assert now.tzinfo is not None, "when_window needs a timezone-aware now"
    if (window := _named_window(when, now)) is not None:
        return window
    if match := _HHMM_RE.match(when):
        day = now.date() + timedelta(days=1 if when.startswith("tomorrow") else 0)
        start = datetime.combine(day, time(int(match.group(1)), int(match.group(2))))
        start = start.replace(tzinfo=now.tzinfo)
        return start, start + timedelta(hours=1)
    if _DATE_RE.match(when):
        try:
            day = date.fromisoformat(when)
        except ValueError:
            pass
        else:
            start = datetime.combine(day, time(0), tzinfo=now.tzinfo)
            return start, start + timedelta(days=1)
    msg = (
        f"when {when!r} is not one of {', '.join(WHEN_WORDS)}, 'HH:MM', "
        "'tomorrow HH:MM' or 'YYYY-MM-DD'"
    )
    raise ToolArgumentsInvalid(msg)
