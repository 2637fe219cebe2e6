"""The tool contract: names, schemas, argument normalisation and `when` windows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lantern.assistant._tools import (
    TOOL_NAMES,
    TOOL_SPECS,
    ToolArgumentsInvalid,
    normalize_arguments,
    when_window,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 2, 12, 13, 0, tzinfo=SHANGHAI)  # a Thursday


def test_contract_names() -> None:
    """The tool names are exactly the issue's contract, each with an object schema."""
    assert TOOL_NAMES == (
        "search_offers",
        "claim_red_envelope",
        "list_my_envelopes",
        "place_order",
        "track_order",
        "cancel_order",
        "campaign_status",
    )
    for spec in TOOL_SPECS:
        assert spec.to_openai()["function"]["parameters"]["type"] == "object"
    search = TOOL_SPECS[0].parameters["properties"]
    assert set(search) == {
        "query", "category", "max_price_yuan", "party_size", "with_red_envelope", "when", "near",
    }  # fmt: skip


def test_normalize_upper_cases_ids_and_integral_floats() -> None:
    """Ids come back upper-case; 2.0 for an integer argument becomes 2."""
    assert normalize_arguments("place_order", {"offer_id": "of-01234", "quantity": 2.0}) == {
        "offer_id": "OF-01234",
        "quantity": 2,
    }


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("order_pizza", {}, "unknown tool"),
        ("place_order", {"quantity": 1}, "required"),
        ("place_order", {"offer_id": "OD-00012345"}, "not an id"),
        ("search_offers", {"category": "shopping"}, "must be one of"),
        ("search_offers", {"party_size": "four"}, "must be a integer"),
        ("search_offers", {"with_red_envelope": 1}, "must be a boolean"),
        ("search_offers", {"when": "next year"}, "is not one of"),
        ("search_offers", {"colour": "red"}, "unknown argument"),
    ],
)
def test_normalize_rejects_bad_arguments(tool: str, args: dict[str, object], message: str) -> None:
    """Each contract violation is a ToolArgumentsInvalid naming what was wrong."""
    with pytest.raises(ToolArgumentsInvalid, match=message):
        normalize_arguments(tool, args)


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        ("tonight", "2026-02-12T18:00", "2026-02-13T00:00"),
        ("tomorrow", "2026-02-13T00:00", "2026-02-14T00:00"),
        ("tomorrow_evening", "2026-02-13T18:00", "2026-02-14T00:00"),
        ("weekend", "2026-02-14T00:00", "2026-02-16T00:00"),
        ("19:30", "2026-02-12T19:30", "2026-02-12T20:30"),
        ("tomorrow 08:00", "2026-02-13T08:00", "2026-02-13T09:00"),
        ("2026-02-17", "2026-02-17T00:00", "2026-02-18T00:00"),
        ("today", "2026-02-12T13:00", "2026-02-13T00:00"),
    ],
)
def test_when_windows(when: str, start: str, end: str) -> None:
    """Every documented `when` value maps to the documented Shanghai window."""
    window = when_window(when, NOW)
    assert window == (
        datetime.fromisoformat(start).replace(tzinfo=SHANGHAI),
        datetime.fromisoformat(end).replace(tzinfo=SHANGHAI),
    )


def test_weekend_on_a_sunday_is_the_rest_of_the_sunday() -> None:
    """Asked on Sunday afternoon, "weekend" runs from now to Monday 00:00."""
    sunday = datetime(2026, 2, 15, 15, 0, tzinfo=SHANGHAI)
    assert when_window("weekend", sunday) == (sunday, datetime(2026, 2, 16, tzinfo=SHANGHAI))
