"""Search filters and ranking over the shipped catalogue."""

from __future__ import annotations

from datetime import datetime

import pytest

from lantern.clock import SHANGHAI
from lantern.commerce import SearchIndex, SearchQuery, default_catalogue, find_landmark, is_open
from lantern.errors import InvalidInput


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(default_catalogue())


@pytest.mark.parametrize("text", ["milk tea", "Milchtee", "奶茶", "bubble tea pls", "帮我点杯奶茶"])
def test_text_finds_milk_tea_in_every_language(index: SearchIndex, text: str) -> None:
    """English, German and Chinese keywords reach the same milk-tea shops."""
    hits = index.search(SearchQuery(text=text, limit=5))
    assert len(hits) == 5
    assert all(h.merchant.subcategory == "milk_tea" for h in hits)


def test_unknown_text_finds_nothing(index: SearchIndex) -> None:
    """A query that matches nothing returns nothing rather than everything."""
    assert index.search(SearchQuery(text="submarine rental")) == []


def test_filters_hold_for_every_hit(index: SearchIndex) -> None:
    """Category, price cap, party size, red envelope and opening time all hold."""
    at = datetime(2026, 2, 10, 20, 0, tzinfo=SHANGHAI)
    q = SearchQuery(
        category="gastronomy",
        max_price_fen=30000,
        party_size=4,
        with_red_envelope=True,
        open_from=at,
        limit=50,
    )
    hits = index.search(q)
    assert hits
    for h in hits:
        assert h.merchant.category == "gastronomy"
        assert h.offer.price_fen <= 30000
        assert h.offer.party_min <= 4 <= h.offer.party_max
        assert h.merchant.red_envelope
        assert is_open(h.merchant, at)


def test_near_a_landmark_stays_within_the_radius(index: SearchIndex) -> None:
    """ "Near West Lake" keeps hits within the radius and ranks the near ones up."""
    hits = index.search(SearchQuery(text="boat", near="西湖", radius_km=3.0, limit=20))
    assert hits
    distances = [h.distance_km for h in hits]
    assert all(d is not None and d <= 3.0 for d in distances)
    far = index.search(SearchQuery(text="coffee", near=(120.07, 30.271), radius_km=1.0))
    assert all(h.distance_km is not None and h.distance_km <= 1.0 for h in far)


def test_landmarks_resolve_in_three_languages() -> None:
    """Canonical English, German and Chinese names find the same landmark."""
    found = [find_landmark(t) for t in ("West Lake", "am Westsee", "西湖边")]
    assert {f.key if f else None for f in found} == {"west_lake"}
    assert find_landmark("Mars") is None


def test_live_stock_hides_sold_out_offers(index: SearchIndex) -> None:
    """An offer whose stock is sold does not show up."""
    first = index.search(SearchQuery(text="片儿川", limit=1))[0].offer
    hits = index.search(SearchQuery(text="片儿川", limit=100), sold={first.offer_id: first.stock})
    assert first.offer_id not in {h.offer.offer_id for h in hits}


@pytest.mark.parametrize("text", ["ｍｉｌｋ ｔｅａ", "ＭＩＬＫ　ＴＥＡ", "milk\u3000tea"])
def test_full_width_text_is_normalised_before_matching(index: SearchIndex, text: str) -> None:
    """Full-width Latin and the ideographic space (what Chinese input methods type) are read
    through NFKC, so they find exactly what ASCII "milk tea" finds."""
    ascii_ids = [h.offer.offer_id for h in index.search(SearchQuery(text="milk tea", limit=10))]
    wide_ids = [h.offer.offer_id for h in index.search(SearchQuery(text=text, limit=10))]
    assert ascii_ids
    assert wide_ids == ascii_ids


def test_bubble_tea_emoji_alone_finds_milk_tea(index: SearchIndex) -> None:
    """A lone 🧋 is a milk-tea keyword, so it reaches the milk-tea shops like 奶茶 does."""
    hits = index.search(SearchQuery(text="🧋", limit=5))
    assert len(hits) == 5
    assert all(h.merchant.subcategory == "milk_tea" for h in hits)


@pytest.mark.parametrize("text", ["west  lake", " West\tLake ", "ＷＥＳＴ ＬＡＫＥ", "西湖 "])
def test_landmark_names_ignore_extra_whitespace_and_width(text: str) -> None:
    """Runs of whitespace inside a landmark name, surrounding blanks and full-width letters
    still name the landmark."""
    found = find_landmark(text)
    assert found is not None
    assert found.key == "west_lake"


@pytest.mark.parametrize("category", ["Gastronomy", "GASTRONOMY", " gastronomy "])
def test_category_is_case_insensitive(index: SearchIndex, category: str) -> None:
    """A category in any case (or with blanks around it) filters like the lower-case name."""
    expected = [h.offer.offer_id for h in index.search(SearchQuery(category="gastronomy"))]
    got = [h.offer.offer_id for h in index.search(SearchQuery(category=category))]
    assert got == expected


def test_unknown_category_is_still_refused(index: SearchIndex) -> None:
    """Case folding does not widen the check: an unknown category names the known ones."""
    with pytest.raises(InvalidInput, match="'Food' is not one of"):
        index.search(SearchQuery(category="Food"))
