"""Language detection for German, English and Chinese, mixed text included.

A message with a few Chinese characters is Chinese (users write "帮我找个 milk tea");
otherwise German wins over English on umlauts, ß and German function words.
"""

from __future__ import annotations

import re
from typing import Final, Literal

__all__ = ["LANGUAGES", "Language", "detect_language", "has_cjk"]

Language = Literal["de", "en", "zh"]
LANGUAGES: Final[tuple[Language, ...]] = ("de", "en", "zh")

_CJK_RE: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD_RE: Final = re.compile(r"[a-zäöüß]+")
_GERMAN: Final = frozenset(
    """ich mir mich mein meine meinen meinem meiner du dich dein deine wir uns unser
    ist sind bin bitte danke und oder nicht kein keine ein eine einen einem einer der die
    das den dem des wo wie was wann wer welche welcher welches gibt es für fuer mit ohne
    von zu zum zur bei heute morgen abend abends jetzt gerne gern möchte moechte hätte
    haette würde wuerde kannst können koennen kann such suche suchen finde finden zeig zeige
    bestell bestelle bestellen bestellung storniere stornieren hol hole holen auf aus nach
    unter bis personen leute etwas noch schon mal doch ja nein hallo tschüss wetter
    witz erzähl erzaehl gib meinen umschlag umschläge kuvert kino essen trinken nähe naehe
    wochenende günstig guenstig billig teuer stück stueck karten karte tickets zwei drei vier
    fünf fuenf sechs sieben acht neun zehn zwanzig dreißig dreissig fünfzig fuenfzig hundert
    aktion läuft laeuft rote roten rotes roter paket lieferung geld überweise ueberweise""".split()  # noqa: SIM905 (a word list reads best as text)
)
_ENGLISH: Final = frozenset(
    """i me my mine you your we us our is are am please thanks thank and or not no a an
    the where how what when who which there for with without from to at in on today
    tomorrow tonight evening now would like want could can find search show order buy get
    claim grab cancel track some any near cheap under below less than people persons friends
    tickets ticket two three four five six seven eight nine ten twenty thirty fifty hundred
    hello hi hey bye weather joke tell give money transfer campaign envelope envelopes red
    much many left still running of it this that one second first last do does""".split()  # noqa: SIM905 (a word list reads best as text)
)


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a Chinese character."""
    return _CJK_RE.search(text) is not None


def detect_language(text: str, default: Language = "en") -> Language:
    """The language a message is written in: "zh", "de" or "en" (``default`` if unclear).

    Chinese characters make it Chinese as soon as they are at least a fifth of the
    letters or there are two of them; German needs umlauts/ß or more German than English
    function words.
    """
    cjk = len(_CJK_RE.findall(text))
    words = _WORD_RE.findall(text.lower())
    latin = sum(len(word) for word in words)
    if cjk >= 2 or (cjk and cjk * 5 >= latin):
        return "zh"
    if not words:
        return default
    german = sum(word in _GERMAN for word in words)
    english = sum(word in _ENGLISH for word in words)
    if any(ch in "äöüß" for ch in text.lower()):
        german += 2
    if german > english:
        return "de"
    if english > german:
        return "en"
    return default
