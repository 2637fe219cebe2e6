"""What the assistant says about tool results, in German, English and Chinese.

Every tool result the agent produces carries a ``summary`` rendered here, so any backend
(the embedded router, which has no language model, or an LLM) can show it as it is.
Merchant names and descriptions are inserted as data, never interpreted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from lantern.assistant._lang import Language
from lantern.money import format_yuan

__all__ = ["REPLIES", "STATE_WORDS", "reply", "yuan"]

REPLIES: Final[Mapping[str, Mapping[Language, str]]] = {
    "confirm_order": {
        "en": "Order {quantity} × {name} ({offer_id}) for ¥{total}? Your red envelope pays "
        '¥{voucher}, your wallet ¥{wallet}, you pay ¥{rest}. Reply "yes" to confirm or '
        '"no" to cancel.',
        "de": "{quantity} × {name} ({offer_id}) für ¥{total} bestellen? Dein roter Umschlag "
        'zahlt ¥{voucher}, dein Guthaben ¥{wallet}, du zahlst ¥{rest}. Antworte "ja" zum '
        'Bestätigen oder "nein" zum Abbrechen.',
        "zh": "确认下单 {quantity} 份 {name}（{offer_id}），共 ¥{total}？红包抵扣 ¥{voucher}，"
        "钱包支付 ¥{wallet}，你需支付 ¥{rest}。回复“好的”确认，回复“不要”取消。",
    },
    "confirm_cancel": {
        "en": 'Cancel order {order_id} ({name}) and refund it? Reply "yes" or "no".',
        "de": 'Bestellung {order_id} ({name}) stornieren und erstatten? Antworte "ja" oder "nein".',
        "zh": "确定取消订单 {order_id}（{name}）并退款吗？回复“好的”或“不要”。",
    },
    "ordered_delivery": {
        "en": "Ordered! {order_id}: {quantity} × {name}, ¥{total} (red envelope ¥{voucher}, "
        "wallet ¥{wallet}, you pay ¥{rest}). Status: {state}.",
        "de": "Bestellt! {order_id}: {quantity} × {name}, ¥{total} (roter Umschlag "
        "¥{voucher}, Guthaben ¥{wallet}, du zahlst ¥{rest}). Status: {state}.",
        "zh": "下单成功！{order_id}：{quantity} 份 {name}，共 ¥{total}（红包抵扣 ¥{voucher}，"
        "钱包 ¥{wallet}，你付 ¥{rest}）。状态：{state}。",
    },
    "ordered_ticket": {
        "en": "Booked! {order_id}: {quantity} × {name}, ¥{total} (red envelope ¥{voucher}, "
        "wallet ¥{wallet}, you pay ¥{rest}). Ticket code: {ticket_code}.",
        "de": "Gebucht! {order_id}: {quantity} × {name}, ¥{total} (roter Umschlag "
        "¥{voucher}, Guthaben ¥{wallet}, du zahlst ¥{rest}). Ticketcode: {ticket_code}.",
        "zh": "预订成功！{order_id}：{quantity} 份 {name}，共 ¥{total}（红包抵扣 ¥{voucher}，"
        "钱包 ¥{wallet}，你付 ¥{rest}）。券码：{ticket_code}。",
    },
    "tracked": {
        "en": "Order {order_id} ({quantity} × {name}): {state}.",
        "de": "Bestellung {order_id} ({quantity} × {name}): {state}.",
        "zh": "订单 {order_id}（{quantity} 份 {name}）：{state}。",
    },
    "cancelled": {
        "en": "Order {order_id} is cancelled; ¥{refund} is back in your wallet and your red "
        "envelope can be used again.",
        "de": "Bestellung {order_id} ist storniert; ¥{refund} sind zurück auf deinem "
        "Guthaben, und dein roter Umschlag ist wieder einlösbar.",
        "zh": "订单 {order_id} 已取消，¥{refund} 已退回钱包，红包可以再次使用。",
    },
    "claimed_cash": {
        "en": "You got a red envelope of ¥{amount}! It is in your wallet.",
        "de": "Du hast einen roten Umschlag über ¥{amount} bekommen! Er ist in deinem Guthaben.",
        "zh": "恭喜你领到 ¥{amount} 现金红包，已存入钱包！",
    },
    "claimed_voucher": {
        "en": "You got a ¥{amount} {category} voucher, valid until {expires}.",
        "de": "Du hast einen Gutschein über ¥{amount} für {category} bekommen, gültig bis "
        "{expires}.",
        "zh": "恭喜你领到 ¥{amount} 的{category}券，有效期至 {expires}。",
    },
    "envelopes": {
        "en": "Wallet: ¥{cash}. Vouchers: {vouchers}.",
        "de": "Guthaben: ¥{cash}. Gutscheine: {vouchers}.",
        "zh": "钱包余额：¥{cash}。优惠券：{vouchers}。",
    },
    "no_vouchers": {"en": "none", "de": "keine", "zh": "无"},
    "campaign": {
        "en": "{title}: {state}. ¥{remaining} of ¥{budget} still to give away. Your wallet: "
        "¥{cash}, {vouchers} unused voucher(s).",
        "de": "{title}: {state}. Noch ¥{remaining} von ¥{budget} zu vergeben. Dein "
        "Guthaben: ¥{cash}, {vouchers} offene Gutschein(e).",
        "zh": "{title}：{state}。总预算 ¥{budget}，还剩 ¥{remaining}。你的钱包：¥{cash}，"
        "{vouchers} 张未用优惠券。",
    },
    "declined": {
        "en": "Okay, I did not do it. Anything else?",
        "de": "In Ordnung, ich habe es nicht gemacht. Noch etwas?",
        "zh": "好的，已取消操作。还需要什么吗？",
    },
    "error": {
        "en": "That did not work: {message}",
        "de": "Das hat nicht geklappt: {message}",
        "zh": "操作失败：{message}",
    },
}

STATE_WORDS: Final[Mapping[str, Mapping[Language, str]]] = {
    "created": {"en": "created", "de": "angelegt", "zh": "已创建"},
    "paid": {"en": "paid, waiting for pickup", "de": "bezahlt, wartet auf Abholung",
             "zh": "已支付，等待取货"},
    "handed_to_delivery": {"en": "on the way with a robovan", "de": "unterwegs im Robovan",
                           "zh": "无人车配送中"},
    "delivered": {"en": "delivered", "de": "zugestellt", "zh": "已送达"},
    "ticket_issued": {"en": "ticket issued", "de": "Ticket ausgestellt", "zh": "已出票"},
    "used": {"en": "ticket used", "de": "Ticket eingelöst", "zh": "已使用"},
    "cancelling": {"en": "being cancelled, refund in progress", "de": "wird storniert, "
                   "Erstattung läuft", "zh": "取消中，退款处理中"},
    "cancelled": {"en": "cancelled and refunded", "de": "storniert und erstattet",
                  "zh": "已取消并退款"},
    "failed": {"en": "payment failed, nothing charged", "de": "Zahlung fehlgeschlagen, "
               "nichts abgebucht", "zh": "支付失败，未扣款"},
    "active": {"en": "running", "de": "läuft", "zh": "进行中"},
    "scheduled": {"en": "not started yet", "de": "noch nicht gestartet", "zh": "尚未开始"},
    "ended": {"en": "ended", "de": "beendet", "zh": "已结束"},
    "gastronomy": {"en": "food and drinks", "de": "Essen und Getränke", "zh": "美食"},
    "entertainment": {"en": "entertainment", "de": "Unterhaltung", "zh": "娱乐"},
    "leisure": {"en": "leisure", "de": "Freizeit", "zh": "休闲"},
}  # fmt: skip


def yuan(fen: int) -> str:
    """Fen as a yuan amount with two decimals."""
    return format_yuan(fen)


def reply(key: str, lang: Language, **values: Any) -> str:
    """The reply ``key`` in ``lang``; state and category words are translated."""
    for name in ("state", "category"):
        word = values.get(name)
        if isinstance(word, str) and word in STATE_WORDS:
            values[name] = STATE_WORDS[word][lang]
    return REPLIES[key][lang].format(**values)
