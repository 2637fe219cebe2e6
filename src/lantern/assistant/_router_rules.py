"""Keyword signals that back the embeddings where they are weak.

Two kinds: :func:`unsafe_reason` spots attempts to get money or act as someone else
(those always route to "none", whatever the embeddings say), and :func:`cue_scores`
gives each tool a bonus for words that name it clearly ("storniere", "取消", "track").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, Literal

from lantern.assistant._extract import (
    extract_ordinal,
    extract_party_size,
    extract_when,
    has_price_cap,
    mentions_envelope,
    prepare,
)
from lantern.assistant._extract_lexicon import find_category, find_item, find_landmark

__all__ = ["UnsafeReason", "cue_scores", "is_no", "is_yes", "unsafe_reason"]

UnsafeReason = Literal["injection", "money", "other_user"]


def _re(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(parts), re.IGNORECASE)


_INJECTION: Final = _re(
    r"ignore (?:all |any |the |your )?(?:previous|prior|above|earlier|former|system)",
    r"ignore (?:all |your )?(?:instructions|rules)",
    r"disregard (?:all |the |your )?(?:previous|prior|above|instructions|rules)",
    r"forget (?:all |your |the )?(?:previous |prior )?(?:instructions|rules)",
    r"system prompt|developer mode|admin mode|god mode|jailbreak|you are now|act as (?:an? )?admin",
    r"^\s*system\s*:|new instructions|hidden prompt",
    r"(?:reveal|show|print) (?:me )?(?:your|the) (?:hidden |system )?(?:prompt|instructions)",
    r"(?:switch|turn) off (?:the |your )?\w*\s*(?:limits?|rules)",
    r"neue anweisungen|versteckte[nr]? (?:prompt|anweisungen)|新的指令|新指令|隐藏的?提示",
    r"ignorier\w* (?:alle |die |deine )?(?:vorherigen |bisherigen |obigen )?(?:anweisungen|regeln)",
    r"vergiss (?:alle |deine |die )?(?:vorherigen |bisherigen )?(?:anweisungen|regeln)",
    r"admin-modus|adminmodus|entwicklermodus|systemprompt|du bist jetzt",
    r"忽略.{0,8}(?:指令|指示|提示|规则|设定)",
    r"(?:现在|从现在起)?你(?:现在)?是(?:管理员|admin|系统)|now you(?:'re| are) (?:an? )?admin",
    r"无视(?:之前|以上|所有)?的?(?:指令|规则)|管理员模式|开发者模式|越狱|系统提示|你现在是",
)
_MONEY: Final = _re(
    r"(?:give|pay|credit|refund)\s+(?:me|us)\s+(?:\w+\s+){0,2}\d+\s*(?:yuan|rmb|kuai|元|块|¥)",
    r"(?:zahl|bezahl|gib|überweis|ueberweis|schick)\w*\s+(?:mir|uns)\s+(?:\w+\s+){0,2}\d+\s*"
    r"(?:yuan|euro|kuai|rmb|元|块)",
    r"(?:付|给|转|打)给?我\s*\d+\s*(?:元|块|rmb)",
    r"(?:send|transfer|wire)\s+(?:me\s+|us\s+)?\d+\s*(?:yuan|rmb|kuai|元|块|¥)",
    r"add\s+\d+\s*(?:yuan|rmb|kuai|元|块|¥)\s+to",
    r"(?:transfer|wire|send)\s+(?:\w+\s+){0,3}(?:money|cash|funds)",
    r"(?:send|wire|transfer)\s+(?:\w+\s+){0,3}\d+\s*(?:yuan|rmb|kuai|元|块|¥)",
    r"(?:schick|sende|überweis|ueberweis)\w*\s+(?:\w+\s+){0,3}\d+\s*(?:yuan|rmb|euro|kuai)",
    r"(?:给|帮)\S{0,6}(?:转|汇|打|发)\s*\d+\s*(?:元|块|rmb)",
    r"free money|money for free|set my balance|add money|top ?up my (?:account|balance)",
    r"give me (?:some )?money|(?:give|send) me cash",
    r"(?:give|send|grant|gift)\s+(?:me\s+)?(?:an?\s+)?\d+\s*(?:yuan|rmb|kuai)\s+(?:red )?"
    r"(?:envelope|packet|hongbao)",
    r"gib mir \d+\s*(?:yuan|euro|kuai)|überweis|ueberweis|schick\w* \w*\s*geld|geld umsonst",
    r"gratis geld|guthaben auf|schreib mir geld gut|buche mir geld|gib mir geld",
    r"转账|打钱|转钱|汇款|给我\d+(?:元|块)|白送|送我(?:点)?钱|加钱|余额改|充值\d+|给我钱",
    r"(?:给|送|发|打)我?(?:个|一个)?\d+(?:元|块)的?红包",
)
_OTHER_USER: Final = _re(
    r"(?:user|account|customer|member|uid|id)\s*#?\s*\d{2,}",
    r"another user|other user'?s?|someone else'?s?|on behalf of|as (?:user|another)",
    r"(?:nutzer|benutzer|kunde|konto|account)\s*#?\s*\d{2,}",
    r"anderen (?:nutzers|nutzer|benutzers|benutzer|kunden)|im namen von",
    r"fremde\w* (?:konto|bestellung)",
    # claiming or ordering for a relative or friend, on their account or phone number
    r"\bon (?:her|his|their) (?:account|phone|behalf)|(?:her|his|their) (?:number|phone number)"
    r" is",
    r"(?=.*(?:envelope|packet|hongbao|voucher|coupon))"
    r".*(?:claim|grab|collect|redeem)\w*\b.{0,40}\bfor (?:my )?(?:mom|mum|mother|dad|father|wife"
    r"|husband|girlfriend|boyfriend|friend|grandma|grandpa|grandmother|grandfather|son|daughter"
    r"|brother|sister|colleague|boss)\b",
    r"(?=.*(?:umschl|kuvert|gutschein|hongbao))"
    r".*(?:hol|abhol|einlös|einloes)\w*\b.{0,40}\b(?:für|fuer) (?:meine[nmr]?|unsere[nmr]?) "
    r"(?:mutter|mama|vater|papa|oma|opa|frau|mann|freundin|freund|sohn|tochter|bruder"
    r"|schwester|kollegin|kollegen|chef)\b",
    r"(?:seine|ihre) (?:nummer|handynummer|telefonnummer) ist|(?:auf|über) (?:sein|ihr) konto",
    r"(?:mit|über|unter) (?:seiner|ihrer) (?:nummer|handynummer|telefonnummer)",
    r"\bseine[nm]? (?:roten? )?(?:umschl|kuvert|gutschein|hongbao|bestellung|konto)",
    r"\bmy (?:roommate|flatmate|friend|mom|mum|mother|dad|father|wife|husband|girlfriend"
    r"|boyfriend|sister|brother|colleague|boss|neighbou?r|son|daughter|nephew|niece|cousin"
    r"|aunt|uncle|grandma|grandpa)'?s (?:order|account"
    r"|envelope|red envelope|red packet|voucher|hongbao)",
    r"log (?:in)?to (?:her|his|their|someone'?s?|my \w+'s) account|\b(?:her|his) (?:account|order"
    r"|red envelope|red packet|voucher|hongbao)s?\b",
    r"用户\s*\d+|别人的|他人的?|其他用户|别的用户|替别人|帮别人|以\S{1,6}的身份|他的账[号户]|她的账[号户]",
    r"(?:帮|替|给)我?的?(?:妈妈|妈|爸爸|爸|老婆|老公|女朋友|男朋友|朋友|奶奶|爷爷|姥姥|姥爷|外婆|外公"
    r"|儿子|女儿|哥哥|姐姐|弟弟|妹妹|同事|老板|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|叔叔|阿姨|舅舅"
    r"|姑姑|邻居|室友)\S{0,4}(?:领|抢|取消|退)",
    r"(?:他|她)的?手机号|(?:他|她)的电话|帮(?:他|她|他们|她们)(?:领|抢|取消|退)",
    r"(?:用|拿)(?:我)?(?:的)?\S{1,4}的(?:手机号|账号|帐号)",
)

_ALREADY_CLAIMED: Final = _re(
    r"already (?:got|claimed|collected)|(?:claimed|collected|grabbed) so far",
    r"i(?:'ve| have) (?:claimed|collected|grabbed|received)|红包列表|我的列表",
    r"(?:schon|bisher) (?:drin|da|bekommen)|bei mir (?:an|drin)|auflisten",
    r"(?:之前|以前|已经)领的|列出来|列一下|清单",
    r"schon (?:abgeholt|bekommen|eingelöst)|bisher (?:abgeholt|bekommen)|领过|已领|领到的",
    r"领了哪些|已经领|拿到的",
)
"""Envelopes claimed before ("collected so far", "以前领的"): a list, not a new claim."""

_EXPLICIT_CLAIM: Final = _re(
    r"\bclaim (?:it|them|mine|my|the|a|one)\b|(?:want|like) to claim|let me claim",
    r"^(?:bitte |kannst du |könntest du )?hol\w*\b.{0,30}\bab\b",
    r"in empfang nehmen|entgegennehmen|entgegen ?zu ?nehmen",
    r"\bget me (?:my|a|the|one) (?:red )?(?:envelope|packet|hongbao)",
    r"(?:will|möchte|moechte|würde|wuerde) (?:\w+ ){0,3}(?:abholen|einlösen|holen)",
    r"我要领|我想领|帮我领|领一下|领取一下",
)
"""An explicit wish to claim an envelope ("claim it", "hol ... ab", "我要领")."""

_CUES: Final[Mapping[str, tuple[tuple[re.Pattern[str], float], ...]]] = {
    "cancel_order": (
        (_re(r"cancel|refund|call off|don'?t want|money back|scrap|drop|undo|storn|abbestell",
             r"abbrech|zurück|zurueck|erstatt|nicht mehr|streich|rückgängig|取消|退款|退掉|退了",
             r"退单|不要了|撤销|钱退|退钱|退订|不想要"), 0.45),
    ),
    "track_order": (
        (_re(r"where(?:'s| is)|track|status|arrive|deliver|on the way|on its way|ticket code",
             r"wo (?:ist|bleibt)|verfolg|unterwegs|geliefert|lieferung|wann kommt|ankommt",
             r"ticketcode|sendung|到哪|状态|送到|什么时候到|在路上|物流|票码",
             r"进度|到了吗|配送"), 0.3),
        (_re(r"\border\b|bestellung|订单|外卖|单子|package|paket"), 0.15),
    ),
    "claim_red_envelope": (
        (_re(r"claim|grab|collect|snatch|open|redeem|get|receive|give me|today'?s|can i have",
             r"kann ich (?:den|ihn|das|es|einen) (?:haben|kriegen)|能给我|给我吗|给我一个",
             r"abhol|hol\b|hole|holen|einlös|einloes|sicher|öffne|oeffne|aufmach|bekomm",
             r"beanspruch|gib mir|heutig|für heute|von heute|领|抢|拆|拿|今天的红包",
             r"今日红包"), 0.25),
        # an explicit wish to claim outweighs naming the campaign it belongs to
        (_EXPLICIT_CLAIM, 0.25),
    ),
    "list_my_envelopes": (
        (_ALREADY_CLAIMED, 0.35),
        (_re(r"\bi have\b|do i have|have i|i'?ve got|how many|list|valid|expire|balance|left",
             r"worth|unused|habe ich|hab ich|wie viele|gültig|gueltig|ablauf|laufen|übrig",
             r"uebrig|wert|unbenutzt|我有|几个|几张|多少|还有|余额|过期|用了|查|哪些|没用"), 0.2),
        (_re(r"\bmy\b|\bmine\b|meine|我的"), 0.08),
    ),
    "campaign_status": (
        (_re(r"campaign|promotion|prize pool|\bpool\b|rules|festival|event|how long",
             r"aktion|kampagne|topf|regeln|festtag|wie lange|活动|奖池|规则|春节|截止|红包池",
             r"资金池|奖金池"), 0.35),
        (_re(r"\bper day\b|\ba day\b|daily limit|\blimits?\b|pro tag|am tag|täglich|每天",
             r"每日|一天|上限"), 0.5),
        (_re(r"\brules?\b|regeln|regel\b|规则|玩法|怎么玩"), 0.2),
        (_re(r"last day|until when|deadline|by when|bis wann|letzte[nr]? tag|最晚|哪天",
             r"截止|到什么时候|什么时候结束|持续多久|when does .{0,40}\b(?:end|finish|close|stop)",
             r"wann (?:endet|ist .{0,30} vorbei|hört .{0,30} auf)"), 0.45),
    ),
    "none": (
        (_re(r"weather|joke|poem|story|book\b|books|homework|translat|news|stock|lyrics",
             r"capital|meaning of life|wetter|witz|gedicht|geschichte|buch\b|bücher|hausaufgab",
             r"übersetz|uebersetz|nachrichten|aktie|hauptstadt|sinn des lebens|天气|笑话|诗",
             r"故事|书|作业|翻译|新闻|股票|首都|意义"), 0.3),
        (_re(r"flight|airline|hotel room|taxi|uber|train ticket|visa|insurance|flug\b|flüge",
             r"zugticket|bahnticket|hotelzimmer|versicherung|机票|航班|火车票|高铁票|酒店房间|打车",
             r"签证|保险"), 0.3),
    ),
    "search_offers": (
        # asking where to find something, even something not in the catalogue's words
        (_re(r"looking for|where can i (?:find|get|go|do)|anywhere (?:to|that|with|near)",
             r"any \w+(?: \w+)?(?: or \w+(?: \w+)?)? (?:around|near)",
             r"is there an?y? \w+ (?:near|around)|are there any|where'?s a (?:good )?place",
             r"do you (?:still )?have (?:any |some )?(?:tickets|seats|tables|places|spots)",
             r"are there still|still (?:have|got) (?:tickets|seats|tables)",
             r"kennst du (?:was|ein|eine|einen)|weißt du (?:wo|was)|gibt es noch",
             r"haben sie (?:noch |vielleicht )?(?:eine?n?|was|karten|tickets|plätze)\b",
             r"ich suche|such(?:e)? (?:mir )?(?:nen|ein|eine|einen)\b|gibt(?: es|'s|s) .{0,40}"
             r"(?:irgendwo|in der nähe|hier)|wo (?:kann|gibt)",
             r"哪里可以|哪里有|哪儿有|哪儿可以|有没有.{0,8}(?:地方|店)|附近有没有|想找|哪里能|哪儿能",
             r"在哪能|在哪儿能|还有(?:票|位子|座位|位置|门票)吗|还能预约吗|还可以订吗",
             r"有推荐吗|推荐一下|想学|想试试|in der nähe (?:vom|von|der|des)\b",
             r"(?:can|could) (?:i|we) book|book tickets|tickets for|karten für|门票|订票"), 0.25),
        (_re(r"book a table|reserve a table|table for \d|tisch für|tisch reservieren|订座|订位",
             r"订个?桌|订一?张桌"), 0.3),
        (_re(r"find|search|looking for|recommend|book|order|buy|want|craving|hungry|thirsty",
             r"\bany\b|where can|nearby|near|cheap|open now|reserve|tickets?\b|table",
             r"such|find|empfiehl|buch|bestell|kauf|möchte|moechte|hätte gern|haette gern|lust",
             r"hunger|durst|günstig|guenstig|billig|reservier|karten|tisch|gibt es",
             r"找|搜|推荐|订|点|买|想吃|想喝|想去|饿|渴|附近|便宜|预约|门票|票|来杯|来份"), 0.1),
    ),
}  # fmt: skip

_SPEND: Final = _re(
    r"\bbuy\b|\bpay\b|spend|use (?:\w+ ){0,3}(?:for|on|to pay|to buy)|what can i get",
    r"kaufen|kauf\b|bezahl|zahlen|ausgeben|einsetzen|was kann ich mit|wofür|wofuer",
    r"(?:für|bei|fuer)\b.*\b(?:benutzen|verwenden|nutzen|einlösen)",
    r"(?:benutzen|verwenden|nutzen)\s+(?:für|bei|fuer)|\bgilt (?:\w+ ){0,3}(?:für|bei)\b",
    r"gültig (?:für|bei)",
    r"where .*(?:works|valid|accepted)|accept",
    r"\btakes? (?:my |red |the )?(?:envelope|voucher|coupon)",
    r"akzeptier|nimmt .*(?:gutschein|umschl|kuvert)|nehmen .*(?:gutschein|umschl|kuvert)",
    r"能买|可以买|付|抵扣|花|买什么|用红包|用券|能用红包|能用券|可以用红包|支持红包|支持用红包|收红包",
)
"""Words that turn an envelope mention into a search for what it can pay for."""

_POOL: Final = _re(r"prize pool|\bpool\b|budget|topf|红包池|奖池|资金池|奖金池|预算")
"""The campaign's money: an envelope word next to it is no question about the user's own."""
_DEADLINE: Final = _re(
    r"last day|until when|deadline|by when|bis wann|letzte[nr]? tag|最晚|哪天|截止",
    r"到什么时候|什么时候结束|when does .{0,40}\b(?:end|finish|close|stop)|wann endet",
)
"""When the campaign (or claiming) ends: a question for campaign_status, not a claim."""

_ORDER_REF: Final = _re(r"\border|bestellung|lieferung|订单|单子|这单|运单")
_CLAIM_ALONE: Final = _re(
    r"^(?:claim|grab|collect|abholen|holen|einlösen|schnapp|领|抢|拆|领取)\b",
    r"^(?:快|赶紧|马上|快点)?(?:领|抢)",
)


def _is_terse(lower: str) -> bool:
    """One or two words, or a handful of Chinese characters: "claim!", "抢", "领今天的"."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in lower):
        return len(lower.strip(" !！。.?？")) <= 5
    return len(lower.split()) <= 2


_YES: Final = _re(
    r"^(?:yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|please do|correct)\b",
    r"^(?:ja|jawohl|genau|klar|bestätig|bestaetig|mach das|passt|gerne|einverstanden)",
    r"^(?:好|好的|是|是的|对|确认|可以|行|嗯|没问题|下单吧|就这个)",
)
_NO: Final = _re(
    r"^(?:no|nope|nah|don'?t|stop|cancel|never ?mind)(?:[\s,.!]|$)",
    r"^(?:nein|nee|lieber nicht|abbrechen|doch nicht|stopp)(?:[\s,.!]|$)",
    r"^(?:不要了|不用了|不用|不要|算了|不了|别了|不是|不对|不买了|取消|不)(?:[\s，,。.!！]|$)",
)
_SHORT_WORDS: Final = 5


def unsafe_reason(text: str) -> UnsafeReason | None:
    """Why a message must not reach a tool: an injection, a money grab, another user."""
    if _INJECTION.search(text):
        return "injection"
    if _OTHER_USER.search(text):
        return "other_user"
    if _MONEY.search(text):
        return "money"
    return None


def cue_scores(text: str) -> dict[str, float]:
    """Keyword bonuses per tool for a message (added to the embedding similarities)."""
    lower = text.lower()
    scores = {
        tool: sum(w for pattern, w in cues if pattern.search(lower)) for tool, cues in _CUES.items()
    }
    explicit_claim = _EXPLICIT_CLAIM.search(lower) is not None
    envelope = mentions_envelope(lower) and (explicit_claim or not _POOL.search(lower))
    item = find_item(lower) is not None or find_category(lower) is not None
    if _DEADLINE.search(lower) or _ALREADY_CLAIMED.search(lower):
        scores["claim_red_envelope"] -= 0.25
    if item:
        scores["search_offers"] += 0.35
    # a place, a price cap or a party size is what people give when they look for something,
    # whether or not the catalogue has a word for it ("go-karting for six this weekend")
    prepared = prepare(text)
    party = extract_party_size(prepared) or 0
    landmark = find_landmark(lower) is not None
    cap = has_price_cap(prepared)
    scores["search_offers"] += 0.2 * landmark + 0.2 * cap + 0.1 * (party >= 2)
    # arguments no other tool takes, in a message no other tool's words claim: a search for
    # something the catalogue has no word for ("Töpferkurs für zwei am 17.02.2026")
    others = max(v for tool, v in scores.items() if tool != "search_offers")
    when = extract_when(prepared)
    dated = when is not None and any(ch.isdigit() for ch in when)
    if others <= 0 and (landmark or cap or party >= 2 or dated):
        scores["search_offers"] += 0.2
    if envelope and _SPEND.search(lower):
        scores["search_offers"] += 0.5
    elif envelope and not item:
        scores["search_offers"] -= 0.1
        for tool in ("claim_red_envelope", "list_my_envelopes"):
            scores[tool] += 0.15
    else:
        scores["claim_red_envelope"] = min(scores["claim_red_envelope"], 0.0) - 0.2
        scores["list_my_envelopes"] = min(scores["list_my_envelopes"], 0.0) - 0.2
    if item and not _ORDER_REF.search(lower):
        # "Teigtaschen geliefert", "cancel the hotpot plan": an item without an order is a search
        scores["track_order"] -= 0.3
        scores["cancel_order"] -= 0.3
    if _is_terse(lower) and _CLAIM_ALONE.search(lower):
        scores["claim_red_envelope"] += 0.45
    if extract_ordinal(lower) is not None:
        scores["place_order"] = scores.get("place_order", 0.0) + 0.3
    return scores


def is_yes(text: str) -> bool:
    """Whether a message confirms ("yes", "ja, bitte", "好的")."""
    return _YES.search(text.strip().lower()) is not None


def is_no(text: str) -> bool:
    """Whether a short message declines ("no thanks", "nein", "不要了").

    Long messages and messages with numbers are requests, not refusals ("no more than
    30 yuan", "不超过30元的咖啡").
    """
    lower = text.strip().lower()
    if len(lower.split()) > _SHORT_WORDS or re.search(r"\d", lower) or len(lower) > 40:
        return False
    return _NO.search(lower) is not None
