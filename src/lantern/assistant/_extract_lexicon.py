"""Words the argument extraction knows: items, categories and red-envelope words.

Each item has one canonical lower-case English keyword (the ``query`` a search gets,
whatever the user's language) and the spellings users write in English, German and
Chinese, typos included. Longer spellings win over shorter ones ("珍珠奶茶" over "奶茶",
"milk tea" over "tea").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from lantern.assistant._tools import LANDMARKS

__all__ = [
    "CATEGORY_WORDS",
    "ENVELOPE_WORDS",
    "ITEMS",
    "find_category",
    "find_item",
    "find_landmark",
    "item_category",
]

ITEMS: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    # gastronomy
    "milk tea": ("gastronomy", ("milk tea", "milktea", "milk-tea", "bubble tea", "boba",
                                "bubbletea", "milchtee", "milch tee", "milch-tee", "奶茶",
                                "珍珠奶茶", "波霸", "milk tee", "mlik tea", "fruit tea",
                                "tea drink", "perlentee", "fruchttee", "果茶", "茶饮", "奶盖")),
    "coffee": ("gastronomy", ("coffee", "cofee", "coffe", "latte", "cappuccino", "espresso",
                              "americano", "kaffee", "kaffe", "cafe", "café", "coffee shop",
                              "flat white", "milchkaffee", "咖啡", "拿铁", "美式", "卡布奇诺")),
    "tea": ("gastronomy", ("tea house", "teahouse", "longjing", "teehaus", "tee", "茶馆",
                           "龙井", "喝茶", "tea")),
    "hotpot": ("gastronomy", ("hotpot", "hot pot", "hot-pot", "feuertopf", "火锅", "hot pott",
                              "spicy pot", "fondue", "麻辣锅", "涮肉")),
    "dumplings": ("gastronomy", ("dumplings", "dumpling", "xiaolongbao", "soup dumplings",
                                 "teigtaschen", "maultaschen", "jiaozi", "饺子", "小笼包",
                                 "包子", "馄饨", "wontons", "wan tan", "wantan", "生煎")),
    "noodles": ("gastronomy", ("noodles", "noodle", "ramen", "nudeln", "nudel", "nudelsuppe",
                               "面条",
                               "拉面", "片儿川", "面馆", "吃面", "面吃", "碗面", "汤面", "炒面",
                               "拌面", "牛肉面", "noodle soup")),
    "barbecue": ("gastronomy", ("barbecue", "bbq", "grill", "skewers", "烧烤", "烤串",
                                "撸串", "spieße", "spiesse", "grillspieße", "串串")),
    "pizza": ("gastronomy", ("pizza", "披萨", "比萨")),
    "burger": ("gastronomy", ("burger", "hamburger", "汉堡")),
    "fried chicken": ("gastronomy", ("fried chicken", "brathähnchen", "backhendl", "炸鸡")),
    "sushi": ("gastronomy", ("sushi", "寿司")),
    "dessert": ("gastronomy", ("dessert", "cake", "cakes", "kuchen", "torte", "nachtisch",
                               "甜品", "蛋糕", "甜点", "bakery", "bread", "bäckerei", "brot",
                               "面包", "烘焙", "pastry", "croissant", "gebäck")),
    "ice cream": ("gastronomy", ("ice cream", "icecream", "gelato", "eiscreme", "speiseeis",
                                 "eisdiele", "eisdielen", "eiscafé", "eiscafe", "eisbecher",
                                 "冰淇淋", "雪糕")),
    "beer": ("gastronomy", ("beer", "craft beer", "bier", "啤酒", "精酿")),
    "breakfast": ("gastronomy", ("breakfast", "frühstück", "fruehstueck", "早餐", "早饭")),
    "hangzhou food": ("gastronomy", ("hangzhou food", "hangzhou cuisine", "chinese food",
                                     "hangzhou-küche", "hangzhou-essen", "hangzhouer essen",
                                     "hangzhouer küche", "local food", "chinesisches essen",
                                     "杭帮菜", "杭州菜")),
    "dongpo pork": ("gastronomy", ("dongpo pork", "dongpo", "东坡肉")),
    "west lake fish": ("gastronomy", ("west lake fish", "vinegar fish", "westsee-fisch",
                                      "westseefisch", "westsee fisch", "西湖醋鱼", "醋鱼")),
    "fruit juice": ("gastronomy", ("juice", "smoothie", "saft", "果汁")),
    # entertainment
    "cinema": ("entertainment", ("cinema", "movie", "movies", "film", "films", "kino",
                                 "电影", "电影院", "影院", "看片", "imax", "影城")),
    "ktv": ("entertainment", ("ktv", "karaoke", "karaoki", "卡拉ok", "唱歌", "唱k", "k歌", "k 歌",
                              "唱 k")),
    "concert": ("entertainment", ("concert", "konzert", "gig", "演唱会", "音乐会", "livehouse",
                                  "live house", "live music", "livemusik", "orchestra",
                                  "orchester")),
    "escape room": ("entertainment", ("escape room", "escaperoom", "escape-room", "密室",
                                      "密室逃脱", "puzzle room", "rätselraum")),
    "murder mystery": ("entertainment", ("murder mystery", "krimidinner", "剧本杀",
                                         "script game")),
    "theatre": ("entertainment", ("theatre", "theater", "musical", "opera", "oper", "shows",
                                  "话剧", "剧院", "演出", "越剧", "音乐剧", "yue opera",
                                  "acrobatics", "akrobatik", "schauspiel", "杂技", "戏曲")),
    "comedy": ("entertainment", ("stand-up", "standup", "comedy", "kabarett", "脱口秀",
                                 "相声")),
    "arcade": ("entertainment", ("arcade", "spielhalle", "电玩城", "游戏厅", "video games",
                                 "videospiele", "billiards", "billard", "电玩", "台球")),
    "board games": ("entertainment", ("board game", "board games", "brettspiel",
                                      "brettspiele", "桌游")),
    "bowling": ("entertainment", ("bowling", "bowlen", "kegeln", "保龄球")),
    # leisure
    "spa": ("leisure", ("spa", "massage", "massagen", "wellness", "sauna", "foot massage",
                        "fußmassage", "按摩", "按个摩", "足疗", "足浴", "汗蒸", "桑拿", "推拿",
                        "水疗")),
    "hot spring": ("leisure", ("hot spring", "hot springs", "hotspring", "onsen", "therme",
                               "thermalbad", "thermal", "温泉", "thermal bath", "bathhouse",
                               "heiße quelle", "badehaus", "汤泉", "泡汤", "洗浴")),
    "boat": ("leisure", ("boat", "boat ride", "boat tour", "cruise", "boot", "bootsfahrt",
                         "bootstour", "schiff", "游船", "坐船", "划船", "游湖", "船",
                         "rowing boat", "rowboat", "ruderboot", "手划船", "画舫")),
    "zoo": ("leisure", ("zoo", "tierpark", "动物园", "野生动物园", "panda", "熊猫")),
    "park": ("leisure", ("park", "amusement park", "theme park", "freizeitpark", "公园",
                         "游乐园", "乐园", "botanical garden", "botanischer garten", "植物园")),
    "museum": ("leisure", ("museum", "gallery", "ausstellung", "博物馆", "美术馆", "展览",
                           "galerie")),
    "aquarium": ("leisure", ("aquarium", "海洋馆", "水族馆")),
    "tea plantation": ("leisure", ("tea plantation", "tea garden", "teeplantage", "teegarten",
                                   "茶园", "采茶", "龙井茶园", "龙井村")),
    "bike rental": ("leisure", ("bike", "bicycle", "cycling", "fahrrad", "radtour",
                                "单车", "自行车", "骑行")),
    "swimming": ("leisure", ("swimming", "swimming pool", "schwimmbad", "schwimmen", "游泳")),
    "yoga": ("leisure", ("yoga", "瑜伽")),
}  # fmt: skip
"""Canonical query -> (category, spellings)."""

CATEGORY_WORDS: Final[Mapping[str, tuple[str, ...]]] = {
    "gastronomy": ("something to eat", "somewhere to eat", "anywhere to eat", "place to eat",
                   "places to eat", "food", "restaurant", "restaurants", "dinner", "lunch",
                   "essen", "abendessen", "mittagessen", "gastronomie", "lokal", "美食",
                   "吃的", "餐厅", "吃饭", "餐饮", "饭店", "晚饭", "午饭", "好吃的", "外卖",
                   "takeaway", "lieferdienst"),
    "entertainment": ("entertainment", "something fun", "unterhaltung", "娱乐", "好玩的"),
    "leisure": ("leisure", "relax", "relaxing", "freizeit", "entspannung", "entspannen",
                "休闲", "放松"),
}  # fmt: skip

ENVELOPE_WORDS: Final = (
    "red envelope", "red envelopes", "red packet", "red packets", "hongbao", "hong bao",
    "packet", "lucky money",
    "envelope", "envelopes", "voucher", "vouchers", "coupon", "coupons", "rotes kuvert",
    "roten kuvert", "rote kuvert", "kuvert", "kuverts", "umschlag", "umschläge",
    "roten umschlag", "rote umschlag", "roter umschlag", "rote umschläge", "gutschein",
    "gutscheine", "红包", "优惠券", "券", "免单卡", "free-order card", "free order card",
)  # fmt: skip


_COMPOUND_HEADS: Final = frozenset(
    {"kino", "konzert", "museum", "theater", "massage", "therme", "grill", "nudel", "kaffee",
     "pizza", "sushi", "burger", "karaoke", "zoo", "boot", "milchtee", "spielhalle", "escape",
     "freizeit", "museums", "wellness", "thermal", "bowling", "fahrrad", "unterhaltung",
     "brettspiel"}
)  # fmt: skip
"""German compound heads that may run on into a longer word (Kinokarten, Konzertabend)."""
_EXACT: Final = frozenset({"tee", "spa", "oper", "film", "tea", "park", "boot", "show"})
"""Short words that take no plural ending (Tee+n is no tea, spa+ß no spa)."""
_EXTRA_ZH: Final = {
    "noodles": r"(?<![见外里前后上下方全见对场])面(?=$|[，,。.!！?？\s~])",
    "ice cream": r"(?<![a-zäöüß-])eis(?![a-zäöüß-])",
}
"""Raw patterns for spellings a plain word cannot express (面 alone at a clause end; German
"Eis" standing alone, not the first part of "Eis-Latte" or "Eislaufen")."""


def _latin(word: str) -> str:
    escaped = re.escape(word)
    # a word of 4+ letters may end a compound after a first part of 3+ letters (Ruderboot,
    # Geburtstagstorte, rowboat, Pekingoper), not after a mere prefix ("proper" is no "oper")
    compound = r"(?<![a-zäöüß])(?:[a-zäöüß]{3,}?)?"
    if word in _COMPOUND_HEADS:
        # a head runs on into a longer word (Kinokarten); a long one may also end a compound
        # (Neujahrskonzert)
        start = compound if len(word) >= 6 else r"(?<![a-zäöüß])"
        return rf"{start}{escaped}[a-zäöüß-]*"
    suffix = "" if word in _EXACT else "(?:s|es|e|en|n)?"
    start = r"(?<![a-zäöüß])" if len(word) < 4 or " " in word else compound
    return rf"{start}{escaped}{suffix}(?![a-zäöüß])"


def _pattern(spellings: list[str], extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """One regex for spellings, longest first; Latin words must stand alone."""
    parts = [
        _latin(word) if word.isascii() else re.escape(word)
        for word in sorted(spellings, key=len, reverse=True)
    ]
    return re.compile("|".join([*parts, *extra]))


def _typo_index(spellings: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """Single Latin words of 5+ letters and their one-letter deletions -> (item, exact)."""
    index: dict[str, tuple[str, bool]] = {}
    for word, item in spellings.items():
        if not word.isascii() or " " in word or len(word) < 5:
            continue
        for i in range(len(word)):
            index.setdefault(word[:i] + word[i + 1 :], (item, False))
        index[word] = (item, True)
    return index


def _with_ss(spellings: Mapping[str, str]) -> dict[str, str]:
    """Add the Swiss/ASCII spelling of every word with ß ("heiße quelle" -> "heisse quelle")."""
    both = dict(spellings)
    for word, entry in spellings.items():
        both.setdefault(word.replace("ß", "ss"), entry)
    return both


_ITEM_OF: Final = _with_ss({s: item for item, (_, spellings) in ITEMS.items() for s in spellings})
_ITEM_RE: Final = _pattern(list(_ITEM_OF), tuple(_EXTRA_ZH.values()))
_TYPOS: Final = _typo_index(_ITEM_OF)
_WORD_RE: Final = re.compile(r"[a-zäöüß]{4,}")
_TYPO_MAX_LETTERS: Final = 20
_CATEGORY_OF: Final = _with_ss(
    {s: cat for cat, spellings in CATEGORY_WORDS.items() for s in spellings}
)
_CATEGORY_RE: Final = _pattern(list(_CATEGORY_OF))
_LANDMARK_OF: Final = _with_ss(
    {s: name for name, spellings in LANDMARKS.items() for s in spellings}
)
_LANDMARK_RE: Final = _pattern(list(_LANDMARK_OF))


def _resolve(spelling: str, table: Mapping[str, str]) -> str:
    """The entry a regex match stands for: exact, a compound around it, or a raw pattern."""
    if spelling in table:
        return table[spelling]
    for item, pattern in _EXTRA_ZH.items():
        if re.fullmatch(pattern, spelling):
            return item
    for word in sorted(table, key=len, reverse=True):
        if word.isascii() and word in spelling:
            return table[word]
    raise AssertionError(f"pattern matched {spelling!r} but no spelling explains it")


_COMMON: Final = frozenset(
    """there where these those their other about after again could would should might
    which while whole later water table store buchen suchen machen kochen sachen lachen
    woche wochen schon schön danke bitte heute morgen abend gerne einen einer eines seine
    meine deine keine nicht nichts etwas alles regeln regel""".split()  # noqa: SIM905 (reads as text)
)
"""Everyday words one letter off an item ("there"/therme, "buchen"/kuchen): never typos."""


def _typo(text: str) -> tuple[str, tuple[int, int]] | None:
    """An item spelt one letter off: a letter missing, extra, or (6+ letters) swapped.

    "kafee" -> coffee, "coffeee" -> coffee, "karoake" -> ktv; "later" is no "latte" and
    everyday words (:data:`_COMMON`) are never typos.
    """
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        if word in _COMMON or len(word) > _TYPO_MAX_LETTERS:
            continue
        if (hit := _TYPOS.get(word)) is not None and (hit[1] or len(word) >= 5):
            return hit[0], match.span()
        for i in range(len(word)):
            hit = _TYPOS.get(word[:i] + word[i + 1 :])
            if hit is not None and (hit[1] or len(word) >= 6):
                return hit[0], match.span()
    return None


@lru_cache(maxsize=4096)
def find_item(text: str) -> tuple[str, tuple[int, int]] | None:
    """The canonical item the lower-cased ``text`` names first, with the match's span.

    Exact spellings first (plural endings and German compounds allowed), then words
    one letter off a known spelling.
    """
    match = _ITEM_RE.search(text)
    if match is not None:
        return _resolve(match.group(0), _ITEM_OF), match.span()
    return _typo(text)


def item_category(item: str) -> str:
    """The category of a canonical item."""
    return ITEMS[item][0]


def find_category(text: str) -> str | None:
    """The category a lower-cased ``text`` names with a category word, if any."""
    match = _CATEGORY_RE.search(text)
    return None if match is None else _resolve(match.group(0), _CATEGORY_OF)


def find_landmark(text: str) -> tuple[str, int, int] | None:
    """The canonical landmark a lower-cased ``text`` names, with the match's span."""
    match = _LANDMARK_RE.search(text)
    if match is None:
        return None
    return _resolve(match.group(0), _LANDMARK_OF), match.start(), match.end()
