"""The shipped catalogue and its generator."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from lantern.commerce import SUBCATEGORIES, Catalogue, default_catalogue
from lantern.commerce._generate import generate_catalogue
from lantern.commerce.errors import CatalogueInvalid, OfferNotFound

SHIPPED = Path(__file__).parents[3] / "src/lantern/commerce/data/catalogue.json.gz"


def test_shipped_catalogue_is_large_and_in_hangzhou() -> None:
    """Thousands of offers in all three categories, Chinese names, en/de descriptions, central
    Hangzhou locations, and every delivering shop on a road intersection."""
    cat = default_catalogue()
    assert len(cat) >= 3000
    assert {m.category for m in cat.merchants.values()} == {
        "gastronomy",
        "entertainment",
        "leisure",
    }
    assert {m.subcategory for m in cat.merchants.values()} == set(SUBCATEGORIES)
    for m in cat.merchants.values():
        assert 120.02 < m.lon < 120.26
        assert 30.2 < m.lat < 30.38
        assert (m.road_node is not None) == (m.sub.kind == "delivery")
    offer = cat.offer("of-00001")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in offer.name_zh)
    assert offer.desc_en != offer.desc_de


def test_generator_is_seeded_and_reproducible() -> None:
    """The same seed gives the same catalogue; another seed a different one."""
    a, b, c = generate_catalogue(7), generate_catalogue(7), generate_catalogue(8)
    assert a.to_json() == b.to_json()
    assert a.to_json() != c.to_json()


def test_shipped_file_is_the_generators_output(shared_data: Path, tmp_path: Path) -> None:
    """Regenerating with seed 2026 on the fleet's road network reproduces the shipped file,
    byte for byte."""
    roads = shared_data / "roads/hangzhou/hangzhou_cnbg_scc.graphml"
    fresh = tmp_path / "catalogue.json.gz"
    generate_catalogue(2026, roads).save(fresh)
    assert fresh.read_bytes() == SHIPPED.read_bytes()
    assert json.loads(gzip.decompress(fresh.read_bytes()))["format"] == "lantern-catalogue/1"


def test_bad_catalogue_names_the_record_and_field(tmp_path: Path) -> None:
    """A negative price is refused with the file, offer and field named."""
    data = default_catalogue().to_json()
    data["offers"]["price_fen"][3] = -5
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogueInvalid, match=r"bad\.json: offer OF-00004: price_fen"):
        Catalogue.load(bad)


def test_unknown_offer_is_a_clear_error() -> None:
    """Looking up a missing offer says what ids look like."""
    with pytest.raises(OfferNotFound, match="OF-01234"):
        default_catalogue().offer("OF-99999")


def test_save_leaves_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails midway leaves the previous catalogue file as it was."""
    out = tmp_path / "cat.json.gz"
    out.write_bytes(b"previous")

    def broken_write(self: gzip.GzipFile, data: bytes) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(gzip.GzipFile, "write", broken_write)
    with pytest.raises(OSError, match="disk full"):
        default_catalogue().save(out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["cat.json.gz"]
