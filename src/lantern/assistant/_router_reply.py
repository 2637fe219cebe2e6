"""The embedded router's words: reply templates and tool-result summaries per language.

The router has no language model, so everything it says comes from here: a greeting,
a refusal, a question for a missing offer or order id, and a short summary of each tool
result in the user's language (German, English or Chinese).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from lantern.assistant._lang import Language

__all__ = ["TEMPLATES", "say", "summarize_result"]

TEMPLATES: Final[Mapping[str, Mapping[Language, str]]] = {
    "greeting": {
        "en": "Hello! I can find food, tickets and leisure offers in Hangzhou, claim your red "
        "envelope, place and track orders. What would you like?",
        "de": "Hallo! Ich finde Essen, Tickets und Freizeitangebote in Hangzhou, hole deinen "
        "roten Umschlag ab, bestelle und verfolge Bestellungen. Was möchtest du?",
        "zh": "你好！我可以帮你在杭州找美食、门票和休闲项目，领红包，下单和查订单。想要什么？",
    },
    "thanks": {
        "en": "You're welcome! Anything else?",
        "de": "Gern geschehen! Noch etwas?",
        "zh": "不客气！还需要什么吗？",
    },
    "ack": {
        "en": "Okay! What else can I do for you?",
        "de": "Alles klar! Was kann ich noch für dich tun?",
        "zh": "好的！还有什么可以帮你？",
    },
    "out_of_scope": {
        "en": "Sorry, I can't help with that. I can search offers, claim red envelopes and "
        "handle your orders.",
        "de": "Damit kann ich leider nicht helfen. Ich kann Angebote suchen, rote Umschläge "
        "abholen und deine Bestellungen verwalten.",
        "zh": "抱歉，这个我帮不了。我可以搜索优惠、领红包和处理你的订单。",
    },
    "refuse_money": {
        "en": "I can't move money or change balances. I only act for you, within the "
        "campaign's rules.",
        "de": "Ich kann kein Geld bewegen und keine Guthaben ändern. Ich handle nur für dich "
        "und nach den Regeln der Aktion.",
        "zh": "我不能转账或修改余额，只能按活动规则为你本人操作。",
    },
    "refuse_other_user": {
        "en": "I can only act for you, the signed-in user, never for another account.",
        "de": "Ich kann nur für dich als angemeldeten Nutzer handeln, nie für ein anderes Konto.",
        "zh": "我只能为当前登录的你操作，不能代替其他账户。",
    },
    "ask_offer": {
        "en": "Which offer do you mean? Give me its id (like OF-01234) or search first.",
        "de": "Welches Angebot meinst du? Nenne die Nummer (z. B. OF-01234) oder suche zuerst.",
        "zh": "你指的是哪个商品？请告诉我编号（如 OF-01234），或者先搜索一下。",
    },
    "ask_order": {
        "en": "Which order? Please give me the order id (like OD-00012345).",
        "de": "Welche Bestellung? Bitte nenne die Bestellnummer (z. B. OD-00012345).",
        "zh": "哪个订单？请告诉我订单号（如 OD-00012345）。",
    },
    "declined": {
        "en": "Okay, I won't do that. Anything else?",
        "de": "In Ordnung, dann nicht. Noch etwas?",
        "zh": "好的，不做了。还需要什么吗？",
    },
    "no_offers": {
        "en": "I found no matching offers. Try another item, price or place.",
        "de": "Ich habe keine passenden Angebote gefunden. Versuch es mit etwas anderem.",
        "zh": "没有找到合适的商品，换个条件试试吧。",
    },
    "offers_head": {
        "en": "Here is what I found:",
        "de": "Das habe ich gefunden:",
        "zh": "为你找到这些：",
    },
    "offers_tail": {
        "en": "Which one would you like? (e.g. 'the second one')",
        "de": "Welches möchtest du? (z. B. 'das zweite')",
        "zh": "你想要哪个？（比如“第二个”）",
    },
    "failed": {
        "en": "That did not work: {message}",
        "de": "Das hat nicht geklappt: {message}",
        "zh": "操作失败：{message}",
    },
    "done": {
        "en": "Done.",
        "de": "Erledigt.",
        "zh": "好了。",
    },
}


def say(key: str, lang: Language, **values: Any) -> str:
    """The template ``key`` in ``lang``, filled with ``values``."""
    return TEMPLATES[key][lang].format(**values)


def _name(offer: Mapping[str, Any], lang: Language) -> str:
    for key in (f"name_{lang}", "name", "title", "merchant_name", "merchant"):
        value = offer.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, Mapping) and isinstance(value.get(lang), str):
            return str(value[lang])
    return str(offer.get("offer_id", offer.get("id", "?")))


def _price(offer: Mapping[str, Any]) -> str:
    if isinstance(offer.get("price_yuan"), int | float):
        return f"¥{offer['price_yuan']:.2f}"
    if isinstance(offer.get("price_fen"), int):
        return f"¥{offer['price_fen'] / 100:.2f}"
    return ""


def _offers(payload: Any) -> list[Mapping[str, Any]] | None:
    if isinstance(payload, list):
        return [o for o in payload if isinstance(o, Mapping)]
    if isinstance(payload, Mapping):
        for key in ("offers", "results", "items"):
            if isinstance(payload.get(key), list):
                return [o for o in payload[key] if isinstance(o, Mapping)]
    return None


def _summarize_offers(offers: list[Mapping[str, Any]], lang: Language) -> str:
    if not offers:
        return say("no_offers", lang)
    lines = [say("offers_head", lang)]
    for number, offer in enumerate(offers[:5], start=1):
        offer_id = offer.get("offer_id", offer.get("id", ""))
        price = _price(offer)
        lines.append(f"{number}. {_name(offer, lang)} {price} ({offer_id})".replace("  ", " "))
    lines.append(say("offers_tail", lang))
    return "\n".join(lines)


def _flat(payload: Mapping[str, Any]) -> str:
    parts = []
    for key, value in payload.items():
        if isinstance(value, str | int | float | bool) and value is not None:
            parts.append(f"{key}: {value}")
        elif isinstance(value, list):
            parts.append(f"{key}: {len(value)}")
    return "; ".join(parts[:8])


def summarize_result(tool: str | None, content: str, lang: Language) -> str:
    """A short reply in ``lang`` that reports one tool result (JSON in ``content``)."""
    try:
        payload = json.loads(content)
    except ValueError:
        return content.strip() or say("done", lang)
    if isinstance(payload, Mapping) and isinstance(payload.get("summary"), str):
        return str(payload["summary"])
    if isinstance(payload, Mapping) and (error := payload.get("error")):
        message = error.get("message", error) if isinstance(error, Mapping) else error
        return say("failed", lang, message=message)
    if tool == "search_offers" and (offers := _offers(payload)) is not None:
        text = _summarize_offers(offers, lang)
        note = payload.get("note") if isinstance(payload, Mapping) else None
        return f"{text}\n({note})" if isinstance(note, str) else text
    if isinstance(payload, Mapping):
        return _flat(payload) or say("done", lang)
    if isinstance(payload, list):
        return "\n".join(
            f"- {_flat(item) if isinstance(item, Mapping) else item}" for item in payload[:10]
        ) or say("done", lang)
    return str(payload)
