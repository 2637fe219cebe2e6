"""Reading Alibaba GPU-trace CSVs (node lists and pod lists) with line-level validation.

Every row is checked; a malformed or inconsistent row raises :class:`TraceError` naming the
file, the line and what to fix, before anything is built from the file. GPU models (a node's
``model``, each ``|``-separated part of a pod's ``gpu_spec``) must be in the accelerator
catalogue (case-insensitive, stored under the catalogue's spelling); an empty ``gpu_spec``
means any model.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lantern.compute._catalogue import CATALOGUE
from lantern.compute.errors import TraceError

__all__ = [
    "NodeTable",
    "PodTable",
    "default_nodes_path",
    "default_pods_path",
    "read_nodes",
    "read_pods",
]

I64 = npt.NDArray[np.int64]
_DATA = Path(__file__).resolve().parents[1] / "data" / "compute"
MAX_GPUS_PER_NODE = 8
MILLI = 1000
_NODE_COLUMNS = ("sn", "cpu_milli", "memory_mib", "gpu", "model")
_POD_COLUMNS = ("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli")
_POD_OPTIONAL = ("gpu_spec", "qos", "pod_phase", "creation_time", "deletion_time", "scheduled_time")
_MAX_VALUE = 10**15  # far above any real CPU, memory or time figure; keeps int64 safe
_QOS = ("LS", "BE", "Burstable", "Guaranteed", "")


def default_nodes_path() -> Path:
    """The shipped node list of the trace (1,213 GPU nodes)."""
    return _DATA / "openb_node_list_gpu_node.csv"


def default_pods_path() -> Path:
    """The shipped default pod list of the trace (8,152 tasks)."""
    return _DATA / "openb_pod_list_default.csv"


@dataclass(frozen=True)
class NodeTable:
    """A node list: one entry per node."""

    names: tuple[str, ...]
    cpu_milli: I64
    memory_mib: I64
    gpu_count: I64
    models: tuple[str, ...]  # "" for CPU-only nodes


@dataclass(frozen=True)
class PodTable:
    """A pod list: one entry per task, in file order."""

    source: str
    names: tuple[str, ...]
    cpu_milli: I64
    memory_mib: I64
    num_gpu: I64
    gpu_milli: I64
    gpu_spec: tuple[str, ...]  # "" = any model, else "|"-separated models
    qos: tuple[str, ...]
    creation_time_s: I64  # -1 where absent
    deletion_time_s: I64  # -1 where absent
    scheduled_time_s: I64  # -1 where absent

    def __len__(self) -> int:
        return len(self.names)

    @property
    def total_gpu_milli(self) -> int:
        """Total GPU request of all tasks, in milli-GPUs."""
        return int((self.num_gpu * self.gpu_milli).sum())


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "no such file"
        raise TraceError(f"{path}: {what}; pass the path of a trace CSV")
    line = 0  # the last line read
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:  # a BOM (Excel) is skipped
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in required if c not in header]
            if missing:
                raise TraceError(
                    f"{path}:1: missing column(s) {', '.join(missing)}; "
                    f"the header must contain {', '.join(required)}"
                )
            for row in reader:
                line = reader.line_num
                if None in row or any(row.get(c) is None for c in header):
                    raise TraceError(
                        f"{path}:{line}: expected {len(header)} fields like the header, "
                        f"got a different number; fix or remove this row"
                    )
                yield line, {k: (v or "").strip() for k, v in row.items() if k is not None}
    except UnicodeDecodeError:
        raise TraceError(
            f"{path}:{line + 1}: not UTF-8 text; pass a trace CSV (UTF-8, comma-separated)"
        ) from None
    except csv.Error as exc:
        raise TraceError(
            f"{path}:{line + 1}: not a readable CSV row ({exc}); fix the file"
        ) from None
    except OSError as exc:
        raise TraceError(f"{path}: cannot read the file ({exc.strerror}); check it") from None


def _int(path: Path, line: int, row: dict[str, str], col: str, *, optional: bool = False) -> int:
    text = row.get(col, "")
    if text == "" and optional:
        return -1
    try:
        if "." in text or "e" in text.lower():  # "12000.0" or "1.2e4", never "1.5"
            number = float(text)
            if not number.is_integer():
                raise ValueError(text)
            value = int(number)
        else:
            value = int(text)
    except (ValueError, OverflowError):
        raise TraceError(f"{path}:{line}: column {col} is {text!r}, not an integer") from None
    if value > _MAX_VALUE:
        raise TraceError(f"{path}:{line}: column {col} is {text}, larger than {_MAX_VALUE:.0e}")
    if value < 0:
        raise TraceError(f"{path}:{line}: column {col} is {value}, must not be negative")
    return value


def _model(path: Path, line: int, what: str, model: str) -> str:
    """The catalogue spelling of ``model``; a TraceError naming the line and the known models."""
    card = CATALOGUE.get(model.lower())
    if card is None:
        known = ", ".join(sorted(a.name for a in CATALOGUE.values()))
        raise TraceError(
            f"{path}:{line}: {what} names unknown GPU model {model!r}; known models: {known}"
        )
    return card.name


def read_nodes(path: Path) -> NodeTable:
    """Read and validate a node list CSV (sn, cpu_milli, memory_mib, gpu, model)."""
    names: list[str] = []
    cpu: list[int] = []
    mem: list[int] = []
    gpu: list[int] = []
    models: list[str] = []
    seen: set[str] = set()
    for line, row in _rows(path, _NODE_COLUMNS):
        name = row["sn"]
        if not name:
            raise TraceError(f"{path}:{line}: empty node name (column sn)")
        if name in seen:
            raise TraceError(f"{path}:{line}: duplicate node name {name!r}")
        seen.add(name)
        c = _int(path, line, row, "cpu_milli")
        m = _int(path, line, row, "memory_mib")
        g = _int(path, line, row, "gpu")
        model = row["model"]
        if c == 0:
            raise TraceError(f"{path}:{line}: node {name} has cpu_milli 0; must be positive")
        if g > MAX_GPUS_PER_NODE:
            raise TraceError(
                f"{path}:{line}: node {name} has {g} GPUs; at most {MAX_GPUS_PER_NODE} per node"
            )
        if g > 0 and not model:
            raise TraceError(f"{path}:{line}: node {name} has {g} GPUs but no model")
        if g == 0 and model:
            raise TraceError(f"{path}:{line}: node {name} has model {model!r} but 0 GPUs")
        if model:
            model = _model(path, line, f"node {name} (column model)", model)
        names.append(name)
        cpu.append(c)
        mem.append(m)
        gpu.append(g)
        models.append(model)
    if not names:
        raise TraceError(f"{path}: the node list has no rows")
    return NodeTable(
        names=tuple(names),
        cpu_milli=np.asarray(cpu, dtype=np.int64),
        memory_mib=np.asarray(mem, dtype=np.int64),
        gpu_count=np.asarray(gpu, dtype=np.int64),
        models=tuple(models),
    )


def _check_pod(path: Path, line: int, name: str, num: int, milli: int, qos: str) -> None:
    if num > MAX_GPUS_PER_NODE:
        raise TraceError(
            f"{path}:{line}: pod {name} asks for {num} GPUs; at most {MAX_GPUS_PER_NODE}"
        )
    if milli > MILLI:
        raise TraceError(
            f"{path}:{line}: pod {name} has gpu_milli {milli}; must be within 0-{MILLI}"
        )
    if num == 0 and milli != 0:
        raise TraceError(f"{path}:{line}: pod {name} has num_gpu 0 but gpu_milli {milli}")
    if num >= 1 and milli == 0:
        raise TraceError(f"{path}:{line}: pod {name} has num_gpu {num} but gpu_milli 0")
    if num > 1 and milli != MILLI:
        raise TraceError(
            f"{path}:{line}: pod {name} asks for {num} GPUs with gpu_milli {milli}; "
            f"a multi-GPU task takes whole GPUs (gpu_milli {MILLI})"
        )
    if qos not in _QOS:
        raise TraceError(f"{path}:{line}: pod {name} has unknown qos {qos!r}")


def read_pods(path: Path) -> PodTable:
    """Read and validate a pod list CSV (the five required columns, optional extras)."""
    cols: dict[str, list[int]] = {c: [] for c in ("cpu", "mem", "num", "milli", "ct", "dt", "st")}
    names: list[str] = []
    specs: list[str] = []
    qoss: list[str] = []
    first_line: dict[str, int] = {}
    for line, row in _rows(path, _POD_COLUMNS):
        name = row["name"]
        if not name:
            raise TraceError(f"{path}:{line}: empty pod name (column name)")
        if name in first_line:
            raise TraceError(
                f"{path}:{line}: duplicate pod name {name!r} (first on line {first_line[name]}); "
                f"pod names must be unique"
            )
        first_line[name] = line
        cpu = _int(path, line, row, "cpu_milli")
        num = _int(path, line, row, "num_gpu")
        milli = _int(path, line, row, "gpu_milli")
        qos = row.get("qos", "")
        _check_pod(path, line, name, num, milli, qos)
        ct = _int(path, line, row, "creation_time", optional=True)
        dt = _int(path, line, row, "deletion_time", optional=True)
        if ct >= 0 and dt >= 0 and dt < ct:
            raise TraceError(
                f"{path}:{line}: pod {name} is deleted ({dt}) before it is created ({ct})"
            )
        names.append(name)
        cols["cpu"].append(cpu)
        cols["mem"].append(_int(path, line, row, "memory_mib"))
        cols["num"].append(num)
        cols["milli"].append(milli)
        cols["ct"].append(ct)
        cols["dt"].append(dt)
        cols["st"].append(_int(path, line, row, "scheduled_time", optional=True))
        spec = row.get("gpu_spec", "")
        if spec:
            what = f"pod {name} (column gpu_spec)"
            parts = [m.strip() for m in spec.split("|") if m.strip()]
            spec = "|".join(_model(path, line, what, m) for m in parts)
        specs.append(spec)
        qoss.append(qos)
    if not names:
        raise TraceError(f"{path}: the pod list has no rows")

    def arr(key: str) -> I64:
        return np.asarray(cols[key], dtype=np.int64)

    return PodTable(
        source=str(path),
        names=tuple(names),
        cpu_milli=arr("cpu"),
        memory_mib=arr("mem"),
        num_gpu=arr("num"),
        gpu_milli=arr("milli"),
        gpu_spec=tuple(specs),
        qos=tuple(qoss),
        creation_time_s=arr("ct"),
        deletion_time_s=arr("dt"),
        scheduled_time_s=arr("st"),
    )
