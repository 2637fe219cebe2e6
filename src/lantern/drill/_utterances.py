"""What simulated users say to the assistant, per intent and language (drawn by seed)."""

from __future__ import annotations

from typing import Final

__all__ = ["UTTERANCES"]

UTTERANCES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "claim": {
        "zh": ("帮我领个红包", "领红包", "我要抢红包", "千问，帮我领一下新春红包"),
        "en": ("claim my red envelope", "get me a red envelope please", "grab my hongbao"),
        "de": ("Hol mir meinen roten Umschlag", "Ich möchte einen roten Umschlag abholen"),
    },
    "gastronomy": {
        "zh": (
            "帮我点一杯奶茶",
            "想喝咖啡",
            "帮我点份饺子",
            "来一份小笼包",
            "我想吃火锅",
            "点一碗牛肉面",
            "来杯珍珠奶茶",
        ),
        "en": (
            "order a milk tea",
            "I want a coffee",
            "order some dumplings",
            "hotpot for dinner",
            "find me a bowl of noodles",
        ),
        "de": (
            "Ich möchte einen Milchtee bestellen",
            "Bestell mir einen Kaffee",
            "Ich hätte gern Teigtaschen",
            "Nudeln bestellen bitte",
        ),
    },
    "entertainment": {
        "zh": ("帮我订两张电影票", "今晚想去唱KTV", "有什么演唱会门票"),
        "en": ("two cinema tickets tonight", "book KTV for tonight", "concert tickets please"),
        "de": ("Zwei Kinokarten für heute Abend", "Karaoke heute Abend buchen"),
    },
    "leisure": {
        "zh": ("想去泡温泉", "西湖游船票", "帮我订个按摩"),
        "en": ("a West Lake boat ticket", "book a spa for me", "hot spring tickets"),
        "de": ("Ein Ticket für die Bootsfahrt auf dem Westsee", "Ich möchte in die Therme"),
    },
    "choose": {
        "zh": ("第一个", "要第二个", "就第三个吧"),
        "en": ("the first one", "I'll take the second one", "the third one please"),
        "de": ("das erste", "ich nehme das zweite", "das dritte bitte"),
    },
    "confirm": {
        "zh": ("好的", "确认"),
        "en": ("yes", "yes please"),
        "de": ("ja", "ja bitte"),
    },
}
