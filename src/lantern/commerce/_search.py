"""Ranked offer search over numpy columns: text, category, price, distance, party size, time,
red-envelope eligibility.

Text matches in three ways, summed: a subcategory keyword in the query (奶茶, Milchtee,
"bubble tea": weight 3, the longest keywords first, each query span used once), a query word
or Chinese bigram in an offer's own name or description (inverse-document-frequency
weighted), and nothing else: a query that matches nothing returns nothing rather than
everything. Query and catalogue text are NFKC-normalised first (full-width ``ｍｉｌｋ ｔｅａ``
from a Chinese input method reads as ``milk tea``). Filters are boolean masks; the ranking is
relevance, then rating, then distance.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from lantern.clock import SHANGHAI
from lantern.commerce._catalogue import Catalogue, Merchant, Offer
from lantern.commerce._taxonomy import CATEGORIES, SUBCATEGORIES, find_landmark, normalise_text
from lantern.errors import InvalidInput

__all__ = ["SearchHit", "SearchIndex", "SearchQuery"]

_LATIN = re.compile(r"[a-zäöüß0-9']+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "for",
        "with",
        "near",
        "at",
        "in",
        "to",
        "from",
        "by",
        "on",
        "is",
        "are",
        "me",
        "my",
        "i",
        "want",
        "find",
        "show",
        "some",
        "any",
        "please",
        "und",
        "oder",
        "der",
        "die",
        "das",
        "mit",
        "von",
        "für",
        "nahe",
        "bei",
        "ich",
        "möchte",
        "bitte",
        "suche",
        "zeig",
        "mir",
        "etwas",
    ]
)
_EARTH_KM = 6371.0


def _tokens(text: str) -> set[str]:
    lowered = normalise_text(text).lower()
    tokens = {w for w in _LATIN.findall(lowered) if len(w) >= 2 and w not in _STOPWORDS}
    for run in _CJK_RUN.findall(lowered):
        if len(run) == 1:
            tokens.add(run)
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def _keyword_pattern(word: str) -> re.Pattern[str]:
    escaped = re.escape(word.lower())
    if word.isascii():
        return re.compile(rf"(?<![a-z]){escaped}")
    return re.compile(escaped)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for; every filter is optional. Money in fen, distances in km."""

    text: str | None = None
    category: str | None = None
    max_price_fen: int | None = None
    party_size: int | None = None
    with_red_envelope: bool | None = None
    open_from: datetime | None = None
    open_until: datetime | None = None
    near: str | tuple[float, float] | None = None
    radius_km: float = 4.0
    limit: int = 10


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked result."""

    offer: Offer
    merchant: Merchant
    score: float
    distance_km: float | None


class SearchIndex:
    """Column arrays and an inverted index over a catalogue, built once (about 0.1 s)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.offers: list[Offer] = list(catalogue.offers.values())
        merchants = [catalogue.merchant_of(o) for o in self.offers]
        self.merchants = merchants
        self.row_of = {o.offer_id: i for i, o in enumerate(self.offers)}
        self.price_fen = np.array([o.price_fen for o in self.offers], dtype=np.int64)
        self.party_min = np.array([o.party_min for o in self.offers], dtype=np.int32)
        self.party_max = np.array([o.party_max for o in self.offers], dtype=np.int32)
        self.stock = np.array([o.stock for o in self.offers], dtype=np.int64)
        self.category = np.array([CATEGORIES.index(m.category) for m in merchants], np.int8)
        self.red_envelope = np.array([m.red_envelope for m in merchants], dtype=bool)
        self.rating = np.array([m.rating_x10 for m in merchants], dtype=np.float64) / 10
        self.lon_rad = np.radians([m.lon for m in merchants])
        self.lat_rad = np.radians([m.lat for m in merchants])
        self.open_min = np.array([m.open_min for m in merchants], dtype=np.int32)
        self.close_min = np.array([m.close_min for m in merchants], dtype=np.int32)
        subs = sorted(SUBCATEGORIES)
        self.sub_of = np.array([subs.index(m.subcategory) for m in merchants], dtype=np.int16)
        self._sub_index = {key: i for i, key in enumerate(subs)}
        self._keywords = sorted(
            ((kw, sub.key) for sub in SUBCATEGORIES.values() for kw in sub.keywords),
            key=lambda pair: -len(pair[0]),
        )
        self._keyword_re = [(_keyword_pattern(kw), key) for kw, key in self._keywords]
        self._postings = self._build_postings()

    def _build_postings(self) -> dict[str, tuple[np.ndarray, float]]:
        rows: dict[str, list[int]] = defaultdict(list)
        for i, (offer, merchant) in enumerate(zip(self.offers, self.merchants, strict=True)):
            text = f"{offer.name_zh} {merchant.name_zh} {offer.desc_en} {offer.desc_de}"
            for token in _tokens(text):
                rows[token].append(i)
        n = len(self.offers)
        return {
            token: (np.array(ix, dtype=np.int64), math.log(1 + n / len(ix)))
            for token, ix in rows.items()
        }

    def _text_scores(self, text: str) -> np.ndarray:
        scores = np.zeros(len(self.offers), dtype=np.float64)
        text = normalise_text(text)
        lowered = text.lower()
        used = np.zeros(len(lowered), dtype=bool)
        for pattern, sub in self._keyword_re:
            for match in pattern.finditer(lowered):
                if used[match.start() : match.end()].any():
                    continue
                used[match.start() : match.end()] = True
                scores[self.sub_of == self._sub_index[sub]] += 3.0
        for token in _tokens(text):
            posting = self._postings.get(token)
            if posting is not None:
                scores[posting[0]] += posting[1] / 3
        return scores

    def distances_km(self, lon: float, lat: float) -> np.ndarray:
        """Great-circle distance from (lon, lat) to every offer's merchant."""
        lon0, lat0 = math.radians(lon), math.radians(lat)
        a = (
            np.sin((self.lat_rad - lat0) / 2) ** 2
            + math.cos(lat0) * np.cos(self.lat_rad) * np.sin((self.lon_rad - lon0) / 2) ** 2
        )
        result: np.ndarray = 2 * _EARTH_KM * np.arcsin(np.sqrt(a))
        return result

    def _open_mask(self, start: datetime, end: datetime) -> np.ndarray:
        mask = np.zeros(len(self.offers), dtype=bool)
        step = max(timedelta(minutes=30), (end - start) / 48)
        moment = start
        while moment < end or moment == start:
            local = moment.astimezone(SHANGHAI)
            minute = local.hour * 60 + local.minute
            for m in (minute, minute + 1440):
                mask |= (self.open_min <= m) & (m < self.close_min)
            moment += step
        return mask

    def _mask(self, q: SearchQuery, stock: np.ndarray) -> np.ndarray:
        mask = stock > 0
        if q.category is not None:
            category = normalise_text(q.category).lower()  # "Gastronomy" is gastronomy
            if category not in CATEGORIES:
                raise InvalidInput(f"category {q.category!r} is not one of {CATEGORIES}")
            mask &= self.category == CATEGORIES.index(category)
        if q.max_price_fen is not None:
            mask &= self.price_fen <= q.max_price_fen
        if q.party_size is not None:
            mask &= (self.party_min <= q.party_size) & (q.party_size <= self.party_max)
        if q.with_red_envelope:
            mask &= self.red_envelope
        if q.open_from is not None:
            mask &= self._open_mask(q.open_from, q.open_until or q.open_from)
        return mask

    def resolve_near(self, near: str | tuple[float, float]) -> tuple[float, float] | None:
        """(lon, lat) of a point or a landmark name in any of the three languages."""
        if isinstance(near, tuple):
            return near
        landmark = find_landmark(near)
        return None if landmark is None else (landmark.lon, landmark.lat)

    def search(self, q: SearchQuery, sold: Mapping[str, int] | None = None) -> list[SearchHit]:
        """Offers matching every filter of ``q``, best first; ``sold`` lowers the stock."""
        stock = self.stock.copy()
        for offer_id, count in (sold or {}).items():
            if (row := self.row_of.get(offer_id)) is not None:
                stock[row] -= count
        mask = self._mask(q, stock)
        score = np.zeros(len(self.offers), dtype=np.float64)
        if q.text and q.text.strip():
            text_score = self._text_scores(q.text)
            mask &= text_score > 0
            score += text_score
        distance: np.ndarray | None = None
        point = self.resolve_near(q.near) if q.near is not None else None
        if point is not None:
            distance = self.distances_km(*point)
            mask &= distance <= q.radius_km
            score -= 0.6 * distance
        score += 0.1 * self.rating + 0.5 * self.red_envelope  # campaign shops first
        rows = np.flatnonzero(mask)
        order = rows[np.lexsort((rows, -score[rows]))][: q.limit]
        return [
            SearchHit(
                self.offers[i],
                self.merchants[i],
                float(score[i]),
                None if distance is None else float(distance[i]),
            )
            for i in order
        ]

    def rows(self, offer_ids: Sequence[str]) -> list[int]:
        return [self.row_of[o] for o in offer_ids]
