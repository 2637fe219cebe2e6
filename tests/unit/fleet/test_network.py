"""Road networks: loading (npz, GraphML, OSM PBF), restriction, snapping, speeds."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from lantern.fleet._loaders import load_city, load_graphml, load_network, load_npz, save_npz
from lantern.fleet._network import DEFAULT_SPEED_KMH, RoadNetwork, speed_from_tags
from lantern.fleet.errors import InvalidNetwork, OutOfNetworkArea, UnknownCity

SMALL_BBOX = (120.150, 30.270, 120.170, 30.290)


@pytest.fixture(scope="module")
def hangzhou() -> RoadNetwork:
    return load_city("hangzhou")


def test_shipped_hangzhou_matches_the_source_graph(hangzhou: RoadNetwork) -> None:
    """The shipped npz holds the whole strongly connected Hangzhou graph with attribution."""
    assert (hangzhou.n_nodes, hangzhou.n_edges) == (14_339, 39_838)
    lon_min, lat_min, lon_max, lat_max = hangzhou.bbox
    assert 120.0 < lon_min < lon_max < 120.3
    assert 30.2 < lat_min < lat_max < 30.4
    assert "OpenStreetMap" in hangzhou.attribution
    assert np.all(hangzhou.speed_kmh == DEFAULT_SPEED_KMH)


def test_unknown_city_is_a_clear_error() -> None:
    """An unknown city name raises UnknownCity listing the shipped ones."""
    with pytest.raises(UnknownCity, match="hangzhou"):
        load_city("atlantis")


def test_within_keeps_a_strongly_connected_part(hangzhou: RoadNetwork) -> None:
    """Cutting a bounding box keeps only nodes inside it that all reach each other."""
    small = hangzhou.within(*SMALL_BBOX)
    assert 100 < small.n_nodes < hangzhou.n_nodes
    assert small.lon.min() >= SMALL_BBOX[0]
    assert small.lat.max() <= SMALL_BBOX[3]
    graph = nx.DiGraph(list(zip(small.src.tolist(), small.dst.tolist(), strict=True)))
    assert nx.is_strongly_connected(graph)
    assert graph.number_of_nodes() == small.n_nodes


def test_snap_finds_the_nearest_node(hangzhou: RoadNetwork) -> None:
    """A node's own coordinates snap to it; a point 20 m east snaps to the nearest node."""
    nodes = np.array([5, 500, 5000])
    assert hangzhou.snap(hangzhou.lon[nodes], hangzhou.lat[nodes]).tolist() == nodes.tolist()
    lon = hangzhou.lon[500] + 20.0 / 96_000.0
    got = int(hangzhou.snap(lon, hangzhou.lat[500])[0])
    xy = hangzhou.project_m(hangzhou.lon, hangzhou.lat)
    target = hangzhou.project_m(np.array([lon]), np.array([hangzhou.lat[500]]))[0]
    assert got == int(np.argmin(((xy - target) ** 2).sum(axis=1)))


def test_snap_refuses_points_off_the_network(hangzhou: RoadNetwork) -> None:
    """A point far from any road raises OutOfNetworkArea naming it and its distance."""
    with pytest.raises(OutOfNetworkArea, match=r"point 1 at lon 121\.000000"):
        hangzhou.snap([hangzhou.lon[0], 121.0], [hangzhou.lat[0], 30.3])
    with pytest.raises(OutOfNetworkArea, match="no valid coordinates"):
        hangzhou.snap([float("nan")], [30.3])


def test_graphml_and_npz_round_trip(tmp_path: Path, hangzhou: RoadNetwork) -> None:
    """A GraphML written by networkx loads back, and npz save/load keeps every array."""
    small = hangzhou.within(*SMALL_BBOX)
    graph = nx.DiGraph()
    for i in range(small.n_nodes):
        graph.add_node(str(i), x=str(small.lon[i]), y=str(small.lat[i]))
    for s, d, length in zip(small.src, small.dst, small.length_m, strict=True):
        graph.add_edge(str(s), str(d), length=str(length), highway="residential")
    path = tmp_path / "small.graphml"
    nx.write_graphml(graph, path)
    loaded = load_graphml(path)
    assert (loaded.n_nodes, loaded.n_edges) == (small.n_nodes, small.n_edges)
    assert np.allclose(np.sort(loaded.length_m), np.sort(small.length_m))
    assert np.all(loaded.speed_kmh == 25.0)
    save_npz(loaded, tmp_path / "small.npz")
    again = load_npz(tmp_path / "small.npz")
    assert np.allclose(again.length_m, loaded.length_m, atol=0.05)
    assert np.array_equal(again.src, loaded.src)


def test_bad_network_files_are_clear_errors(tmp_path: Path) -> None:
    """Missing, malformed and empty files raise InvalidNetwork naming the file."""
    with pytest.raises(InvalidNetwork, match="does not exist"):
        load_graphml(tmp_path / "nope.graphml")
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><graph>", encoding="utf-8")
    with pytest.raises(InvalidNetwork, match=r"bad\.graphml"):
        load_graphml(bad)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InvalidNetwork, match=r"junk\.npz"):
        load_npz(junk)
    junk.write_bytes(bytes(range(256)))  # np.load would take random bytes for a pickle
    with pytest.raises(InvalidNetwork, match="not a zip archive"):
        load_npz(junk)
    with pytest.raises(InvalidNetwork, match="exactly one"):
        load_network(city="hangzhou", graphml=bad)


def test_speeds_from_osm_tags() -> None:
    """maxspeed wins (km/h or mph), then the road class, then the default."""
    assert speed_from_tags("residential", "40") == 40.0
    assert speed_from_tags("primary", "30 mph") == pytest.approx(48.28, abs=0.01)
    assert speed_from_tags("primary", "signals") == 50.0
    assert speed_from_tags("residential", None) == 25.0
    assert speed_from_tags(None, None) == DEFAULT_SPEED_KMH


def test_osm_pbf_extract_loads(shared_data: Path) -> None:
    """The shared Harrisburg extract loads with one-way streets and tagged speeds."""
    from lantern.fleet._osm import load_osm_pbf

    network = load_osm_pbf(shared_data / "roads" / "osm-pbf" / "harrisburg.osm.pbf")
    assert network.n_nodes > 5_000
    pairs = set(zip(network.src.tolist(), network.dst.tolist(), strict=True))
    one_way = sum(1 for s, d in pairs if (d, s) not in pairs)
    assert one_way > 100
    assert len(set(network.speed_kmh.round().tolist())) > 3
    assert -77.0 < network.bbox[0] < network.bbox[2] < -76.5


def test_save_npz_writes_whole_files_under_the_given_name(
    tmp_path: Path, hangzhou: RoadNetwork
) -> None:
    """save_npz keeps the exact file name (no '.npz' appended) and leaves no temporary file."""
    target = tmp_path / "hz.network"
    save_npz(hangzhou, target)
    assert [p.name for p in tmp_path.iterdir()] == ["hz.network"]
    assert load_npz(target).n_edges == hangzhou.n_edges


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    """written_atomically: an error while writing leaves neither the file nor its temporary."""
    from lantern.fleet._files import written_atomically

    target = tmp_path / "out.json"

    def write_half() -> None:
        with written_atomically(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_half()
    assert list(tmp_path.iterdir()) == []


def test_a_directory_given_as_a_network_file_is_named_so(tmp_path: Path) -> None:
    """A folder passed as GraphML or npz is reported as a directory, not as missing."""
    with pytest.raises(InvalidNetwork, match="is a directory"):
        load_graphml(tmp_path)
    with pytest.raises(InvalidNetwork, match="is a directory"):
        load_npz(tmp_path)
