"""What Lantern sells: categories, subcategories with their multilingual search keywords, and
the Hangzhou landmarks a search can be "near".

The keywords drive text search in all three languages; the generator
(:mod:`lantern.commerce._generate`) reads the same table, so a new subcategory appears in
both at once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CATEGORIES",
    "LANDMARKS",
    "SUBCATEGORIES",
    "Category",
    "Kind",
    "Landmark",
    "Subcategory",
    "find_landmark",
    "normalise_text",
    "require_landmark",
]

Category = Literal["gastronomy", "entertainment", "leisure"]
Kind = Literal["delivery", "ticket"]
CATEGORIES: tuple[Category, ...] = ("gastronomy", "entertainment", "leisure")
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """``text`` in Unicode NFKC with each run of whitespace one space, ends stripped.

    NFKC folds the full-width Latin letters and digits of Chinese input methods
    (``ｍｉｌｋ ｔｅａ``, ``２０``) and the ideographic space into their ASCII forms; case is
    left to the caller.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


@dataclass(frozen=True, slots=True)
class Subcategory:
    """A kind of shop (milk tea, cinema, spa) with its search keywords per language.

    ``kind`` says how its orders are fulfilled: ``delivery`` (a robovan brings it) or
    ``ticket`` (a code the user shows at the venue).
    """

    key: str
    category: Category
    kind: Kind
    en: tuple[str, ...]
    de: tuple[str, ...]
    zh: tuple[str, ...]

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.en + self.de + self.zh


def _sub(key: str, category: Category, kind: Kind, en: str, de: str, zh: str) -> Subcategory:
    def split(text: str) -> tuple[str, ...]:
        return tuple(word.strip() for word in text.split(",") if word.strip())

    return Subcategory(key, category, kind, split(en), split(de), split(zh))


SUBCATEGORIES: dict[str, Subcategory] = {
    s.key: s
    for s in (
        _sub(
            "milk_tea",
            "gastronomy",
            "delivery",
            "milk tea, bubble tea, boba, milktea, tea drink, fruit tea",
            "Milchtee, Bubble Tea, Bubbletea, Perlentee, Tee, Fruchttee",
            "奶茶, 珍珠奶茶, 果茶, 茶饮, 奶盖, 🧋",  # the bubble-tea emoji, in any language
        ),
        _sub(
            "coffee",
            "gastronomy",
            "delivery",
            "coffee, latte, americano, cappuccino, espresso, flat white",
            "Kaffee, Latte, Cappuccino, Espresso, Milchkaffee",
            "咖啡, 拿铁, 美式, 卡布奇诺",
        ),
        _sub(
            "hotpot",
            "gastronomy",
            "ticket",
            "hotpot, hot pot, spicy pot, fondue",
            "Feuertopf, Hotpot, Hot Pot, Fondue",
            "火锅, 麻辣锅, 涮肉",
        ),
        _sub(
            "dumplings",
            "gastronomy",
            "delivery",
            "dumplings, xiaolongbao, soup dumplings, wontons, bao",
            "Teigtaschen, Maultaschen, Dumplings, Wan Tan, Wantan",
            "饺子, 小笼包, 生煎, 馄饨, 包子",
        ),
        _sub(
            "noodles",
            "gastronomy",
            "delivery",
            "noodles, ramen, noodle soup, beef noodles",
            "Nudeln, Nudelsuppe, Ramen",
            "面, 面条, 拉面, 片儿川, 牛肉面",
        ),
        _sub(
            "bakery",
            "gastronomy",
            "delivery",
            "bakery, bread, cake, cakes, dessert, pastry, croissant, birthday cake",
            "Bäckerei, Brot, Kuchen, Torte, Gebäck, Croissant, Nachtisch",
            "面包, 蛋糕, 烘焙, 甜点",
        ),
        _sub(
            "hangzhou_cuisine",
            "gastronomy",
            "ticket",
            "hangzhou food, restaurant, dinner, chinese food, west lake fish, dongpo pork",
            "Restaurant, Abendessen, chinesisches Essen, Hangzhou-Küche",
            "杭帮菜, 餐厅, 饭店, 西湖醋鱼, 东坡肉, 晚饭",
        ),
        _sub(
            "bbq",
            "gastronomy",
            "delivery",
            "bbq, barbecue, skewers, grill",
            "Grill, Spieße, Grillspieße, Barbecue",
            "烧烤, 烤串, 串串",
        ),
        _sub(
            "cinema",
            "entertainment",
            "ticket",
            "cinema, movie, movies, film, imax",
            "Kino, Film, Filme, Kinokarte",
            "电影, 电影院, 影城, 看电影",
        ),
        _sub(
            "ktv",
            "entertainment",
            "ticket",
            "ktv, karaoke, singing",
            "Karaoke, KTV, singen",
            "唱歌, K歌, 卡拉OK",
        ),
        _sub(
            "concert",
            "entertainment",
            "ticket",
            "concert, live music, gig, show, orchestra",
            "Konzert, Livemusik, Musik, Show, Orchester",
            "演唱会, 音乐会, 演出, 现场",
        ),
        _sub(
            "escape_room",
            "entertainment",
            "ticket",
            "escape room, puzzle room, murder mystery, script game",
            "Escape Room, Escaperoom, Rätselraum, Krimidinner",
            "密室, 密室逃脱, 剧本杀",
        ),
        _sub(
            "arcade",
            "entertainment",
            "ticket",
            "arcade, video games, bowling, billiards, board games",
            "Spielhalle, Videospiele, Bowling, Billard",
            "电玩城, 电玩, 保龄球, 台球",
        ),
        _sub(
            "theatre",
            "entertainment",
            "ticket",
            "theatre, theater, opera, play, yue opera, acrobatics",
            "Theater, Oper, Schauspiel, Akrobatik",
            "剧院, 话剧, 越剧, 杂技, 戏曲",
        ),
        _sub(
            "spa",
            "leisure",
            "ticket",
            "spa, massage, foot massage, wellness, sauna",
            "Spa, Massage, Fußmassage, Wellness, Sauna",
            "按摩, 足疗, 足浴, 推拿, 水疗, 桑拿",
        ),
        _sub(
            "hot_spring",
            "leisure",
            "ticket",
            "hot spring, hot springs, onsen, thermal bath, bathhouse",
            "heiße Quelle, Therme, Thermalbad, Onsen, Badehaus",
            "温泉, 汤泉, 泡汤, 洗浴",
        ),
        _sub(
            "park",
            "leisure",
            "ticket",
            "park, garden, botanical garden, wetland, tea garden, tea plantation",
            "Park, Garten, botanischer Garten, Feuchtgebiet, Teegarten",
            "公园, 花园, 植物园, 湿地, 茶园",
        ),
        _sub(
            "boat",
            "leisure",
            "ticket",
            "boat, boat tour, west lake boat, cruise, rowing boat",
            "Boot, Bootsfahrt, Bootstour, Westsee-Boot, Ruderboot",
            "游船, 船, 手划船, 画舫, 游湖",
        ),
        _sub(
            "zoo",
            "leisure",
            "ticket",
            "zoo, animals, panda, aquarium",
            "Zoo, Tierpark, Tiere, Panda, Aquarium",
            "动物园, 动物, 熊猫, 海洋馆",
        ),
        _sub(
            "museum",
            "leisure",
            "ticket",
            "museum, exhibition, gallery, tea museum",
            "Museum, Ausstellung, Galerie, Teemuseum",
            "博物馆, 展览, 美术馆",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Landmark:
    """A named place in central Hangzhou (real coordinates, WGS84) that searches can be near."""

    key: str
    lon: float
    lat: float
    names: tuple[str, ...]


LANDMARKS: tuple[Landmark, ...] = (
    Landmark("west_lake", 120.1500, 30.2490, ("west lake", "westlake", "westsee", "西湖", "xihu")),
    Landmark("hubin", 120.1640, 30.2575, ("hubin", "湖滨", "lakeside")),
    Landmark("broken_bridge", 120.1520, 30.2590, ("broken bridge", "断桥", "gebrochene brücke")),
    Landmark("wulin_square", 120.1650, 30.2750, ("wulin", "wulin square", "武林广场", "武林")),
    Landmark(
        "east_station",
        120.2125,
        30.2905,
        ("east station", "hangzhou east", "ostbahnhof", "杭州东站", "东站"),
    ),
    Landmark(
        "city_station",
        120.1825,
        30.2445,
        (
            "city station",
            "hangzhou station",
            "hangzhou railway station",
            "railway station",
            "hauptbahnhof",
            "城站",
            "杭州站",
            "火车站",
        ),
    ),
    Landmark(
        "hefang_street",
        120.1685,
        30.2430,
        ("hefang", "hefang street", "hefang-straße", "河坊街", "清河坊"),
    ),
    Landmark("huanglong", 120.1330, 30.2740, ("huanglong", "黄龙", "黄龙体育中心")),
    Landmark(
        "xixi_wetland",
        120.0700,
        30.2710,
        ("xixi", "xixi wetland", "xixi-feuchtgebiet", "西溪", "西溪湿地"),
    ),
    Landmark(
        "lingyin_temple",
        120.1010,
        30.2410,
        ("lingyin", "lingyin temple", "lingyin-tempel", "灵隐寺", "灵隐"),
    ),
    Landmark(
        "qianjiang_new_city",
        120.2130,
        30.2450,
        ("qianjiang", "qianjiang new town", "cbd", "钱江新城", "new city"),
    ),
    Landmark("binjiang", 120.2100, 30.2080, ("binjiang", "滨江")),
    Landmark(
        "xiaoshan_airport",
        120.4340,
        30.2360,
        ("xiaoshan airport", "airport", "flughafen", "萧山机场", "机场"),
    ),
    Landmark(
        "grand_canal",
        120.1420,
        30.3180,
        ("grand canal", "gongchen bridge", "kaiserkanal", "拱宸桥", "大运河"),
    ),
    Landmark(
        "zhejiang_university",
        120.1250,
        30.2650,
        ("zhejiang university", "zju", "uni", "浙大", "浙江大学"),
    ),
    Landmark("leifeng_pagoda", 120.1490, 30.2320, ("leifeng", "leifeng pagoda", "雷峰塔")),
    Landmark("hangzhou_zoo", 120.1450, 30.2180, ("hangzhou zoo", "杭州动物园")),
)


def find_landmark(text: str) -> Landmark | None:
    """The landmark whose key or one of whose names occurs in ``text`` (longest name wins).

    ``text`` is normalised first (:func:`normalise_text`): ``"west  lake"`` and full-width
    ``ＷＥＳＴ ＬＡＫＥ`` name West Lake.
    """
    lowered = normalise_text(text).lower()
    best: tuple[int, Landmark] | None = None
    for landmark in LANDMARKS:
        for name in (landmark.key.replace("_", " "), *landmark.names):
            if name in lowered and (best is None or len(name) > best[0]):
                best = (len(name), landmark)
    return best[1] if best else None


def require_landmark(text: str) -> Landmark:
    """The landmark ``text`` names (as :func:`find_landmark`); else UnknownLandmark."""
    from lantern.commerce.errors import UnknownLandmark

    landmark = find_landmark(text)
    if landmark is None:
        known = ", ".join(lm.names[0] for lm in LANDMARKS)
        raise UnknownLandmark(f"near {text!r} names no known landmark; use one of: {known}")
    return landmark
