"""The tool box: contract arguments become engine calls for the session's user only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lantern.assistant import Session, ToolCall
from tests.unit.assistant.stack import Stack, stack


@pytest.fixture
def st(tmp_path: Path) -> Iterator[Stack]:
    with stack(tmp_path) as running:
        yield running


def test_search_arguments_become_filters(st: Stack) -> None:
    """max_price_yuan, party_size, when, near and with_red_envelope all constrain the
    results; an unknown place is reported, not guessed."""
    args = {
        "query": "hotpot",
        "max_price_yuan": 300,
        "party_size": 4,
        "when": "tonight",
        "near": "Wulin Square",
        "with_red_envelope": True,
    }
    result = st.tools.run(ToolCall("s", "search_offers", args), Session("u1"), "en")
    assert result["offers"]
    for offer in result["offers"]:
        assert offer["price_yuan"] <= 300
        assert offer["party_size"][0] <= 4 <= offer["party_size"][1]
        assert offer["red_envelope"] is True
        assert offer["distance_km"] <= 4.0
        assert "red envelope ok" in offer["name_en"]
    nowhere = st.tools.run(
        ToolCall("s", "search_offers", {"query": "coffee", "near": "Mars"}), Session("u1"), "en"
    )
    assert "unknown place" in nowhere["note"]


def test_envelopes_and_status_in_german(st: Stack) -> None:
    """list_my_envelopes and campaign_status report the user's own wallet, in German."""
    session = Session("u9")
    st.tools.run(ToolCall("c", "claim_red_envelope", {}), session, "de")
    mine = st.tools.run(ToolCall("l", "list_my_envelopes", {}), session, "de")
    assert [v["state"] for v in mine["vouchers"]] == ["issued"]
    assert mine["summary"].startswith("Guthaben: ¥0.00. Gutscheine: ¥25.00")
    status = st.tools.run(ToolCall("s", "campaign_status", {}), session, "de")
    assert status["my_unused_vouchers"] == 1
    assert "läuft" in status["summary"]
    other = st.tools.run(ToolCall("l", "list_my_envelopes", {}), Session("u10"), "de")
    assert other["vouchers"] == []


def test_red_envelope_search_fits_the_users_own_vouchers(st: Stack) -> None:
    """With a food voucher in hand, "with red envelope" finds food it pays for (and says how
    much) but no cinema tickets, which that voucher cannot pay."""
    session = Session("u5")
    st.tools.run(ToolCall("c", "claim_red_envelope", {}), session, "en")
    food = st.tools.run(
        ToolCall("s", "search_offers", {"query": "milk tea", "with_red_envelope": True}),
        session,
        "en",
    )
    assert food["offers"]
    assert all(o["your_voucher_pays_yuan"] > 0 for o in food["offers"])
    fun = st.tools.run(
        ToolCall("s", "search_offers", {"query": "cinema", "with_red_envelope": True}),
        session,
        "en",
    )
    assert fun["offers"] == []
    anyone = st.tools.run(
        ToolCall("s", "search_offers", {"query": "cinema", "with_red_envelope": True}),
        Session("new-user"),
        "en",
    )
    assert anyone["offers"]  # no voucher yet: campaign merchants, to claim for
