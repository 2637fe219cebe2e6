"""The `lantern compute` commands on small inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from lantern.cli.app import app
from lantern.compute import default_nodes_path, default_pods_path
from lantern.compute.errors import TraceError, WorkloadError
from lantern.errors import InvalidInput


def _small_data(tmp_path: Path) -> Path:
    """A data folder: the first 40 trace nodes and the default pod list."""
    lines = default_nodes_path().read_text().splitlines()[:41]
    (tmp_path / "openb_node_list_gpu_node.csv").write_text("\n".join(lines) + "\n")
    shutil.copy(default_pods_path(), tmp_path / "openb_pod_list_default.csv")
    return tmp_path


def test_replay_json_last_line(tmp_path: Path) -> None:
    """replay --json ends with one JSON object carrying the mean, std and per-seed values."""
    data = _small_data(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "compute",
            "replay",
            "--nodes",
            str(data / "openb_node_list_gpu_node.csv"),
            "--policy",
            "fgd",
            "--seeds",
            "1,2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert set(out["unallocated_gpu_pct_per_seed"]) == {"1", "2"}
    assert 0 <= out["unallocated_gpu_pct_mean"] <= 100
    assert out["unallocated_gpu_pct_std"] >= 0
    assert out["pods_per_s"] > 0


def test_compare_writes_png(tmp_path: Path) -> None:
    """compare replays every policy and writes the unallocated-vs-arrived figure."""
    data = _small_data(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "compute",
            "compare",
            "--nodes",
            str(data / "openb_node_list_gpu_node.csv"),
            "--seeds",
            "1",
            "--out",
            str(tmp_path / "fig"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert Path(out["png"]).stat().st_size > 1000
    assert [p["policy"] for p in out["policies"]][-1] == "FGD"


def test_bench_reports_deltas(tmp_path: Path) -> None:
    """bench compares each policy with the published figure of its trace variant."""
    data = _small_data(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "compute",
            "bench",
            "--data",
            str(data),
            "--traces",
            "default",
            "--seeds",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output.strip().splitlines()[-1])["rows"]
    assert {r["policy"] for r in rows} == {
        "Random",
        "DotProd",
        "GpuClustering",
        "GpuPacking",
        "BestFit",
        "FGD",
    }
    fgd = next(r for r in rows if r["policy"] == "FGD")
    assert fgd["published_pct"] == 4.61
    assert fgd["delta_pp"] == round(fgd["measured_pct"] - 4.61, 3)


def test_simulate_json() -> None:
    """simulate runs the synthetic tenants on a spec-built cluster and reports per tenant."""
    result = CliRunner().invoke(
        app,
        [
            "compute",
            "simulate",
            "--spec",
            "4x8 zhenwu-810e + 1x8 h200",
            "--hours",
            "2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["policy"] == "FGD"
    assert "qwen" in out["tenants"] or "cas-research" in out["tenants"]


def test_bad_trace_row_is_reported(tmp_path: Path) -> None:
    """A malformed pod row raises TraceError naming file and line; main() exits with code 2."""
    bad = tmp_path / "pods.csv"
    bad.write_text("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,1,2,500\n")
    result = CliRunner().invoke(app, ["compute", "replay", "--pods", str(bad)])
    assert isinstance(result.exception, TraceError)
    assert f"{bad}:2" in str(result.exception)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from lantern.cli.app import main; main()",
            "compute",
            "replay",
            "--pods",
            str(bad),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "COMPUTE_TRACE_INVALID" in proc.stderr


def test_simulate_replays_trace_times(tmp_path: Path) -> None:
    """simulate --pods turns rows with creation/deletion times into jobs of synthetic tenants."""
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,T4\n")
    pods = tmp_path / "pods.csv"
    pods.write_text(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,"
        "creation_time,deletion_time,scheduled_time\n"
        "a,4000,1024,1,500,,LS,Running,0,3600,0\n"
        "b,4000,1024,2,1000,,BE,Running,60,7200,60\n"
        "c,4000,1024,1,1000,T4,LS,Running,120,1800,120\n"
    )
    result = CliRunner().invoke(
        app,
        [
            "compute",
            "simulate",
            "--nodes",
            str(nodes),
            "--pods",
            str(pods),
            "--tenants",
            "2",
            "--hours",
            "3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    tenants = out["tenants"]
    assert set(tenants) == {"tenant-0", "tenant-1"}
    assert sum(t["submitted"] for t in tenants.values()) == 3
    assert sum(t["completed"] for t in tenants.values()) == 3


def test_bad_options_are_input_errors() -> None:
    """Negative or repeated seeds, a zero inflation, zero hours: refused with a WorkloadError."""
    runner = CliRunner()
    for args in (
        ["compute", "replay", "--seeds", "-1"],
        ["compute", "replay", "--inflate", "0"],
        ["compute", "simulate", "--hours", "0"],
        ["compute", "replay", "--seeds", "42,43,42"],  # the per-seed figures would collapse
    ):
        result = runner.invoke(app, args)
        assert isinstance(result.exception, WorkloadError), args


def test_compare_refuses_a_file_as_out_before_replaying(tmp_path: Path) -> None:
    """compare --out naming a file fails at once with InvalidInput (exit 2 via main)."""
    target = tmp_path / "taken"
    target.write_text("x")
    result = CliRunner().invoke(app, ["compute", "compare", "--seeds", "1", "--out", str(target)])
    assert isinstance(result.exception, InvalidInput)
    assert "is a file" in result.exception.message
    assert target.read_text() == "x"


def test_compare_bad_input_leaves_no_output_folder(tmp_path: Path) -> None:
    """A missing pod list or bad seeds fail before compare creates --out."""
    out = tmp_path / "fig"
    for args in (["--pods", str(tmp_path / "absent.csv")], ["--seeds", "x"]):
        result = CliRunner().invoke(app, ["compute", "compare", *args, "--out", str(out)])
        assert result.exception is not None
        assert not out.exists()


def test_compare_png_is_never_half_written(tmp_path: Path) -> None:
    """plot_compare writes through a temporary name: only the final PNG is left behind."""
    from lantern.compute import Cluster, read_nodes, read_pods, replay_seeds
    from lantern.compute._plot import plot_compare

    (tmp_path / "data").mkdir()
    data = _small_data(tmp_path / "data")
    cluster = Cluster.from_nodes(read_nodes(data / "openb_node_list_gpu_node.csv"))
    summary = replay_seeds(cluster, read_pods(default_pods_path()), "BestFit", [1], 1.3)
    png = plot_compare([summary], tmp_path / "fig" / "u.png", 1.3)
    assert [p.name for p in png.parent.iterdir()] == ["u.png"]
    assert png.read_bytes().startswith(b"\x89PNG")


def test_bench_checks_every_variant_up_front(tmp_path: Path) -> None:
    """bench refuses an empty --traces and a missing variant before replaying any other."""
    data = _small_data(tmp_path)
    runner = CliRunner()
    empty = runner.invoke(app, ["compute", "bench", "--data", str(data), "--traces", " , "])
    assert isinstance(empty.exception, WorkloadError)
    missing = runner.invoke(
        app, ["compute", "bench", "--data", str(data), "--traces", "default,cpu050"]
    )
    assert isinstance(missing.exception, TraceError)
    assert "cpu050" in missing.exception.message
    assert "replaying" not in missing.output


def test_simulate_table_is_printed_whole() -> None:
    """The ten-column tenant table is not squeezed into 80 columns: no header is truncated."""
    result = CliRunner().invoke(
        app, ["compute", "simulate", "--spec", "4x8 h200", "--hours", "2"], terminal_width=80
    )
    assert result.exit_code == 0, result.output
    assert "delay mean s" in result.output
    assert "…" not in result.output


def test_simulate_range_errors_name_the_one_wrong_option() -> None:
    """Each out-of-range simulate option is named alone with its value; the other two
    options are not listed."""
    runner = CliRunner()
    for args, expected, others in (
        (["--hours", "0"], "--hours must be in (0, 8784], got 0", ("--tenants", "--seed")),
        (["--tenants", "0"], "--tenants must be in 1..1,000, got 0", ("--hours", "--seed")),
        (["--seed", "-1"], "--seed must be >= 0, got -1", ("--hours", "--tenants")),
    ):
        result = runner.invoke(app, ["compute", "simulate", *args])
        assert isinstance(result.exception, WorkloadError), args
        assert result.exception.message == expected
        assert not any(o in result.exception.message for o in others)


def test_go_seeds_beyond_int64_are_refused() -> None:
    """--rng go seeds Go's rand.Seed, an int64: 2^63 is refused with a clear WorkloadError
    before any replay, while numpy streams take it."""
    from lantern.cli.compute import _seeds

    result = CliRunner().invoke(
        app, ["compute", "replay", "--rng", "go", "--seeds", "1,9223372036854775808"]
    )
    assert isinstance(result.exception, WorkloadError)
    assert "9223372036854775808 is outside Go's int64 seed range" in result.exception.message
    assert _seeds("9223372036854775807", "go") == [2**63 - 1]
    assert _seeds("9223372036854775808", "numpy") == [2**63]


def test_replay_json_names_the_nodes_file(tmp_path: Path) -> None:
    """replay --json carries "nodes" (the node list used) beside "trace" (the pod list), so
    runs on different node lists are told apart; the default nodes file is named too."""
    data = _small_data(tmp_path)
    nodes = data / "openb_node_list_gpu_node.csv"
    pods = tmp_path / "pods.csv"
    pods.write_text(
        "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n"
        + "".join(f"p{i},1000,1024,1,{100 + i * 10}\n" for i in range(50))
    )
    runner = CliRunner()
    base = ["compute", "replay", "--pods", str(pods), "--seeds", "1", "--json"]
    result = runner.invoke(app, [*base, "--nodes", str(nodes)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output.strip().splitlines()[-1])
    assert out["trace"] == str(pods)
    assert out["nodes"] == str(nodes)
    result = runner.invoke(app, base)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.strip().splitlines()[-1])["nodes"] == str(default_nodes_path())


def test_simulate_refuses_absurd_tenant_counts() -> None:
    """--tenants beyond 1,000 is refused at once instead of scheduling for minutes."""
    result = CliRunner().invoke(app, ["compute", "simulate", "--tenants", "100000"])
    assert isinstance(result.exception, WorkloadError)
    assert "1..1,000" in result.exception.message
