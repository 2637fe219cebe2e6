"""Rule-based argument extraction in German, English and Chinese."""

from __future__ import annotations

import pytest

from lantern.assistant._extract import (
    extract_near,
    extract_offer_ids,
    extract_order_ids,
    extract_ordinal,
    extract_party_size,
    extract_price_cap,
    extract_quantity,
    extract_when,
    prepare,
    search_arguments,
)
from lantern.assistant._extract_lexicon import find_item
from lantern.assistant._extract_numbers import chinese_number, digitize
from lantern.assistant._lang import detect_language


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("五十", 50), ("一百二十", 120), ("十五", 15), ("两", 2), ("一百二", 120), ("三千五", 3500)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    """Chinese numerals with units, and the colloquial 一百二 = 120, read correctly."""
    assert chinese_number(numeral) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("für vier Personen unter fünfzig Yuan", "für 4 Personen unter 50 Yuan"),
        ("fünfundzwanzig", "25"),
        ("twenty-five yuan for two", "25 yuan for 2"),
        ("两个人五十块以下", "2个人50块以下"),
        ("周六两个人", "周六2个人"),
        ("帮我看一下", "帮我看一下"),
        ("wir sind zu dritt", "wir sind für 3 Personen"),
    ],
)
def test_digitize(text: str, expected: str) -> None:
    """Number words become digits; 周六, 一下 and other fixed words stay as they are."""
    assert digitize(text) == expected


@pytest.mark.parametrize(
    ("text", "cap"),
    [
        ("milk tea under 50 yuan", 50),
        ("no more than twenty kuai", 20),
        ("unter 50 Yuan", 50),
        ("höchstens dreißig Yuan", 30),
        ("五十块以下", 50),
        ("不超过30元", 30),
        ("人均100以内", 100),
        ("bubble tea for 19.5 yuan", 19.5),
        ("dinner for 4 people at 19:00", None),
        ("bis 20 Uhr", None),
        ("80 per person max", 80),
        ("60 yuan each, tops", 60),
        ("门票不超过150一张", 150),
    ],
)
def test_price_cap(text: str, cap: float | None) -> None:
    """Price caps in all three languages; times and head counts are never prices."""
    assert extract_price_cap(prepare(text)) == cap


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("for 4 people", 4),
        ("table for six", 6),
        ("party of 3", 3),
        ("für vier Personen", 4),
        ("zu zweit", 2),
        ("wir sind 8", 8),
        ("四个人", 4),
        ("两张电影票", 2),
        ("一家三口", 3),
        ("for 20 yuan", None),
        ("me and 2 friends", 3),
        ("ich und 3 Kollegen", 4),
        ("我和4个同事", 5),
        ("3 concert tickets", 3),
        ("zwei Theaterkarten", 2),
        ("a family of 6", 6),
        ("the 4 of us", 4),
        ("the 3 cheapest ones", None),
        ("we're 12 students", 12),
        ("wir sind insgesamt sieben.", 7),
        ("für uns drei", 3),
        ("for 2.5 hours", None),
        ("3 Erwachsene und 1 Kind", 4),
        ("2 adults + 2 kids", 4),
        ("三大两小", 5),
        ("my sister and I", 2),
        ("ich und mein Bruder", 2),
        ("我跟我对象", 2),
        ("me and my friends", None),
    ],
)
def test_party_size(text: str, size: int | None) -> None:
    """Party sizes in all three languages: the speaker counts in "me and 2 friends", tickets
    of a kind count, "the 3 cheapest" is no party; "for 20 yuan" is a price, not a party."""
    assert extract_party_size(prepare(text)) == size


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("tonight", "tonight"),
        ("heute Abend", "tonight"),
        ("今晚", "tonight"),
        ("明天", "tomorrow"),
        ("morgen abend", "tomorrow_evening"),
        ("tomorrow at 7pm", "tomorrow 19:00"),
        ("um 20 Uhr", "20:00"),
        ("晚上8点半", "20:30"),
        ("this weekend", "weekend"),
        ("am Samstag", "weekend"),
        ("right now", "now"),
        ("明天中午", "tomorrow 12:00"),
        ("heute mittag", "12:00"),
        ("KTV on 2026-02-14 for 4", "2026-02-14"),
        ("guten Morgen", None),
        ("Zoo am 03.03.2026", "2026-03-03"),
        ("museum on March 5, 2026", "2026-03-05"),
        ("spa on 9 March 2026", "2026-03-09"),
        ("Kino am 21. Februar 2026", "2026-02-21"),
        ("2026年3月1日去动物园", "2026-03-01"),
        ("2026/02/28 hotpot", "2026-02-28"),
        ("on 30.02.2026", None),
        ("tommorow at 6pm", "tomorrow 18:00"),
        ("heute um halb vier nachmittags", "15:30"),
        ("morgen früh um 8 im Park", "tomorrow 08:00"),
        ("today at 4 in the afternoon", "16:00"),
        ("dinner at 7", None),
        ("coffee rn", "now"),
    ],
)
def test_when(text: str, when: str | None) -> None:
    """Times normalise to the documented vocabulary; dates written with their year become
    ISO dates (an impossible one is none); "guten Morgen" is no "tomorrow"."""
    german = detect_language(text) == "de"
    assert extract_when(prepare(text), german=german) == when


def test_german_am_is_no_morning() -> None:
    """In German "6 am Samstag" means "6 on Saturday", not 06:00, and 6 is the party."""
    assert extract_when(prepare("für 6 am Samstag"), german=True) == "weekend"
    assert extract_party_size(prepare("für 6 am Samstag"), german=True) == 6
    assert extract_party_size(prepare("table for 7 am tomorrow")) is None


def test_ids_are_found_and_upper_cased() -> None:
    """Offer and order ids are found in any case, with or without the dash."""
    assert extract_offer_ids("take of-01234 and OF 55555") == ["OF-01234", "OF-55555"]
    assert extract_order_ids("where is od-00012345?") == ["OD-00012345"]
    assert extract_order_ids("OF-01234") == []


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("2x", 2),
        ("zwei Stück", 2),
        ("两份", 2),
        ("dreimal", 3),
        ("OF-01234, 3 please", 3),
        ("ein Stück von OF-01234", 1),
    ],
)
def test_quantity(text: str, quantity: int) -> None:
    """Order quantities with unit words, "dreimal", or a lone number beside the id."""
    assert extract_quantity(prepare(text)) == quantity


@pytest.mark.parametrize(
    ("text", "ordinal"),
    [("the second one", 2), ("das zweite", 2), ("第二个", 2), ("the last one", -1), ("nr. 3", 3)],
)
def test_ordinal(text: str, ordinal: int) -> None:
    """References into the last result list, 1-based, -1 for the last."""
    assert extract_ordinal(text) == ordinal


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("奶茶", "milk tea"),
        ("Milchtee", "milk tea"),
        ("Kinokarten", "cinema"),
        ("Geburtstagstorte", "dessert"),
        ("kafee", "coffee"),
        ("karoake", "ktv"),
        ("is there anywhere", None),
        ("show me", None),
        ("ein Fußmassage-Gutschein", "spa"),
        ("Fussmassage", "spa"),
        ("Thermalbäder", "hot spring"),
        ("Bowlingabend", "bowling"),
        ("Fahrradtour", "bike rental"),
        ("Nudelladen", "noodles"),
        ("eine Eisdiele", "ice cream"),
        ("ein Eis am Westsee", "ice cream"),
        ("zwei Eis-Latte", "coffee"),
        ("Eislaufen", None),
        ("Brettspielcafé", "board games"),
        ("Silvesterkonzert", "concert"),
        ("Pekingoper", "theatre"),
        ("a proper meal", None),
        ("die Regeln", None),
        ("按个摩", "spa"),
        ("Eisenbahn", None),
        ("Reise", None),
    ],
)
def test_items(text: str, item: str | None) -> None:
    """Items map to one English keyword across languages, compounds and typos included;
    ß may be written ss; a word that merely contains a short item ("Eisenbahn") is none."""
    found = find_item(text.lower())
    assert (found[0] if found else None) == item


def test_near_landmarks_and_places() -> None:
    """Landmarks get their canonical English name; other places are kept as given."""
    assert extract_near("咖啡 西湖附近") == "West Lake"
    assert extract_near("Kaffee am Westsee") == "West Lake"
    assert extract_near("coffee near Yan'an Road") == "Yan'an Road"


def test_search_arguments_mixed_language() -> None:
    """A mixed Chinese-English request yields exactly the expressed arguments."""
    assert search_arguments("帮我找个 milk tea under 20 块") == {
        "query": "milk tea",
        "max_price_yuan": 20,
    }
    assert search_arguments(
        "Hotpot für vier Personen heute Abend am Westsee, mit rotem Umschlag"
    ) == {
        "query": "hotpot",
        "party_size": 4,
        "when": "tonight",
        "near": "West Lake",
        "with_red_envelope": True,
    }


@pytest.mark.parametrize(
    ("text", "lang"),
    [("帮我找个 milk tea", "zh"), ("Ich möchte einen Kaffee", "de"), ("I want a coffee", "en")],
)
def test_language_detection(text: str, lang: str) -> None:
    """Mixed text with Chinese is Chinese; German wins on umlauts and function words."""
    assert detect_language(text) == lang
