"""Reading trace CSVs: the shipped files load, bad rows fail with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.compute import NodeTable, read_nodes, read_pods
from lantern.compute._trace import PodTable
from lantern.compute.errors import TraceError

POD_HEADER = (
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
    "creation_time,deletion_time,scheduled_time\n"
)
GOOD = "p0,4000,8192,1,500,,LS,Running,0,100,0\n"


def test_shipped_trace_counts(trace_nodes: NodeTable, trace_pods: PodTable) -> None:
    """The shipped node list has 1,213 nodes and 6,212 GPUs; the pod list 8,152 tasks."""
    assert len(trace_nodes.names) == 1213
    assert int(trace_nodes.gpu_count.sum()) == 6212
    assert len(trace_pods) == 8152


def _pods(tmp_path: Path, *rows: str, header: str = POD_HEADER) -> Path:
    path = tmp_path / "pods.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("p1,4000,8192,1,1500,,LS,Running,0,100,0\n", "gpu_milli 1500"),
        ("p1,-5,8192,1,500,,LS,Running,0,100,0\n", "must not be negative"),
        ("p1,4000,8192,2,500,,LS,Running,0,100,0\n", "whole GPUs"),
        ("p1,4000,8192,0,500,,LS,Running,0,100,0\n", "num_gpu 0 but gpu_milli"),
        ("p1,4000,8192,1,0,,LS,Running,0,100,0\n", "gpu_milli 0"),
        ("p1,abc,8192,1,500,,LS,Running,0,100,0\n", "not an integer"),
        ("p1,4000,8192,9,1000,,LS,Running,0,100,0\n", "at most 8"),
        ("p1,4000,8192,1,500,,XX,Running,0,100,0\n", "unknown qos"),
        ("p1,4000,8192,1,500,,LS,Running,100,50,0\n", "deleted"),
        ("p1,4000,8192,1,500\n", "fields"),
        ("p0,4000,8192,1,500,,LS,Running,0,100,0\n", "duplicate pod name 'p0' (first on line 2)"),
    ],
)
def test_bad_pod_row_names_file_and_line(tmp_path: Path, row: str, needle: str) -> None:
    """Each kind of malformed or inconsistent row fails on its line (3) with a clear reason."""
    path = _pods(tmp_path, GOOD, row)
    with pytest.raises(TraceError) as err:
        read_pods(path)
    assert f"{path}:3" in err.value.message
    assert needle in err.value.message


def test_missing_column_is_named(tmp_path: Path) -> None:
    """A header without gpu_milli fails on line 1 naming the missing column."""
    path = _pods(tmp_path, "p0,4000,8192,1\n", header="name,cpu_milli,memory_mib,num_gpu\n")
    with pytest.raises(TraceError, match=r"pods.csv:1: missing column\(s\) gpu_milli"):
        read_pods(path)


def test_five_column_variant_loads(tmp_path: Path) -> None:
    """The multigpu variants have only five columns; times then read as absent (-1)."""
    path = _pods(
        tmp_path, "p0,4000,8192,8,1000\n", header="name,cpu_milli,memory_mib,num_gpu,gpu_milli\n"
    )
    pods = read_pods(path)
    assert pods.total_gpu_milli == 8000
    assert int(pods.creation_time_s[0]) == -1


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("n1,64000,262144,9,G2\n", "at most 8"),
        ("n1,64000,262144,2,\n", "no model"),
        ("n0,64000,262144,2,P100\n", "duplicate node"),
        ("n1,0,262144,2,P100\n", "cpu_milli 0"),
    ],
)
def test_bad_node_row(tmp_path: Path, row: str, needle: str) -> None:
    """Node lists are validated the same way, with file and line."""
    path = tmp_path / "nodes.csv"
    path.write_text("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\n" + row)
    with pytest.raises(TraceError) as err:
        read_nodes(path)
    assert f"{path}:3" in err.value.message
    assert needle in err.value.message


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is a TraceError, not a traceback."""
    with pytest.raises(TraceError, match="no such file"):
        read_pods(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("cell", "needle"),
    [
        ("1e999", "not an integer"),
        ("99999999999999999999999", "larger than"),
        ("4000.5", "not an integer"),  # was truncated to 4000 silently
    ],
)
def test_out_of_range_number_is_a_trace_error(tmp_path: Path, cell: str, needle: str) -> None:
    """An infinite, fractional or int64-overflowing number fails on its line."""
    path = _pods(tmp_path, GOOD, f"p1,{cell},8192,1,500,,LS,Running,0,100,0\n")
    with pytest.raises(TraceError, match=needle) as err:
        read_pods(path)
    assert f"{path}:3" in err.value.message


def test_binary_file_is_a_trace_error(tmp_path: Path) -> None:
    """A file that is not UTF-8 text (a binary, a wrong encoding) is a TraceError naming it."""
    path = tmp_path / "pods.csv"
    path.write_bytes(b"\xd5\xff\x00garbage\x81\n")
    with pytest.raises(TraceError, match="not UTF-8 text") as err:
        read_pods(path)
    assert f"{path}:1" in err.value.message


def test_directory_is_named_as_such(tmp_path: Path) -> None:
    """A folder given instead of a CSV is reported as a directory, not as missing."""
    with pytest.raises(TraceError, match="is a directory"):
        read_nodes(tmp_path)


def test_a_byte_order_mark_is_skipped(tmp_path: Path) -> None:
    """A CSV saved by Excel starts with a UTF-8 BOM; its first column still reads as 'name'."""
    path = tmp_path / "pods.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (POD_HEADER + GOOD).encode())
    assert read_pods(path).names == ("p0",)


def test_unknown_gpu_spec_model_names_file_line_and_known_models(tmp_path: Path) -> None:
    """A pod whose gpu_spec names a model outside the catalogue (a typo such as H999) is a
    TraceError with the file, the line, the pod and the known models, not a silent reject."""
    path = _pods(tmp_path, GOOD, "p1,4000,8192,1,1000,T4|H999,LS,Running,0,100,0\n")
    with pytest.raises(TraceError) as err:
        read_pods(path)
    message = err.value.message
    assert f"{path}:3" in message
    assert "pod p1" in message
    assert "'H999'" in message
    assert "known models: A10, G1, G2, G3, H20, H200" in message


def test_gpu_spec_models_take_the_catalogue_spelling(tmp_path: Path) -> None:
    """Known models in any case are accepted and stored as the catalogue spells them (so
    "t4" matches a T4 node); an empty gpu_spec still means any model."""
    path = _pods(tmp_path, GOOD, "p1,4000,8192,1,1000,t4|v100m32,LS,Running,0,100,0\n")
    pods = read_pods(path)
    assert pods.gpu_spec == ("", "T4|V100M32")


def test_unknown_node_model_names_file_line_and_known_models(tmp_path: Path) -> None:
    """A node whose model column is outside the catalogue is a TraceError naming the file,
    the line, the node and the known models; a known model in another case is normalised."""
    path = tmp_path / "nodes.csv"
    path.write_text("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,p100\n")
    assert read_nodes(path).models == ("P100",)
    path.write_text("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\nn1,1,1,2,H999\n")
    with pytest.raises(TraceError) as err:
        read_nodes(path)
    assert f"{path}:3" in err.value.message
    assert "node n1" in err.value.message
    assert "unknown GPU model 'H999'; known models:" in err.value.message


def test_real_gpuspec_traces_pass_the_model_check(shared_data: Path) -> None:
    """The real trace's model-constrained variants (gpuspec10/20: empty or catalogue models)
    and its node lists load unchanged under the catalogue check."""
    data = shared_data / "alibaba-gpu-v2023"
    if not (data / "openb_pod_list_gpuspec20.csv").is_file():
        pytest.skip("alibaba-gpu-v2023 gpuspec20 not in ../shared/data")
    for variant in ("gpuspec10", "gpuspec20"):
        pods = read_pods(data / f"openb_pod_list_{variant}.csv")
        assert any(pods.gpu_spec)
        assert {m for spec in pods.gpu_spec for m in spec.split("|") if m} <= {
            "A10", "G2", "G3", "P100", "T4", "V100M16", "V100M32"
        }  # fmt: skip
    assert len(read_nodes(data / "openb_node_list_all_node.csv").names) == 1523
