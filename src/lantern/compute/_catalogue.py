"""Accelerator catalogue: memory, bandwidth, interconnect, power and relative throughput.

Figures that a vendor has not disclosed are ``None`` and listed in ``undisclosed``; the
trace's internal models G1-G3 are anonymised by Alibaba, so almost nothing is known about them.
Relative throughput is FP16/BF16 dense tensor throughput relative to a V100 (125 TFLOPS),
``None`` where unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from lantern.compute.errors import UnknownAccelerator

__all__ = ["CATALOGUE", "SPEED_STAND_INS", "Accelerator", "accelerator", "training_tflops"]

_V100_TFLOPS = 125.0


@dataclass(frozen=True, slots=True)
class Accelerator:
    """One accelerator model."""

    name: str
    vendor: str
    memory_gb: float | None
    memory_kind: str | None
    memory_bandwidth_tb_s: float | None
    interconnect: str | None
    host_link: str | None
    power_w: int | None
    tflops_fp16_dense: float | None
    notes: str = ""

    @property
    def relative_throughput(self) -> float | None:
        """Dense FP16/BF16 throughput relative to a V100 (None where undisclosed)."""
        if self.tflops_fp16_dense is None:
            return None
        return round(self.tflops_fp16_dense / _V100_TFLOPS, 2)

    @property
    def undisclosed(self) -> tuple[str, ...]:
        """Names of the figures the vendor has not published."""
        fields = (
            "memory_gb",
            "memory_kind",
            "memory_bandwidth_tb_s",
            "interconnect",
            "host_link",
            "power_w",
            "tflops_fp16_dense",
        )
        return tuple(f for f in fields if getattr(self, f) is None)


def _a(name: str, vendor: str, **kw: object) -> Accelerator:
    base: dict[str, object] = {
        "memory_gb": None,
        "memory_kind": None,
        "memory_bandwidth_tb_s": None,
        "interconnect": None,
        "host_link": None,
        "power_w": None,
        "tflops_fp16_dense": None,
    }
    base.update(kw)
    return Accelerator(name=name, vendor=vendor, **base)  # type: ignore[arg-type]  # a dict of mixed values; Accelerator validates each field


CATALOGUE: dict[str, Accelerator] = {
    a.name.lower(): a
    for a in (
        _a(
            "Zhenwu-810E",
            "T-Head (Alibaba)",
            memory_gb=96,
            memory_kind="HBM2e",
            interconnect="700 GB/s chip-to-chip over 7 links",
            host_link="PCIe 5.0 x16",
            power_w=400,
            notes="positioned against Nvidia H20; memory bandwidth and TFLOPS undisclosed",
        ),
        _a(
            "H20",
            "Nvidia",
            memory_gb=96,
            memory_kind="HBM3",
            memory_bandwidth_tb_s=4.0,
            interconnect="NVLink 900 GB/s",
            host_link="PCIe 5.0 x16",
            power_w=400,
            tflops_fp16_dense=148,
        ),
        _a(
            "H200",
            "Nvidia",
            memory_gb=141,
            memory_kind="HBM3e",
            memory_bandwidth_tb_s=4.8,
            interconnect="NVLink 900 GB/s",
            host_link="PCIe 5.0 x16",
            power_w=700,
            tflops_fp16_dense=989,
        ),
        _a("G1", "undisclosed", notes="anonymised model of the Alibaba trace"),
        _a("G2", "undisclosed", notes="anonymised model of the Alibaba trace (4,392 GPUs)"),
        _a("G3", "undisclosed", notes="anonymised model of the Alibaba trace"),
        _a(
            "T4",
            "Nvidia",
            memory_gb=16,
            memory_kind="GDDR6",
            memory_bandwidth_tb_s=0.32,
            interconnect="none (PCIe only)",
            host_link="PCIe 3.0 x16",
            power_w=70,
            tflops_fp16_dense=65,
        ),
        _a(
            "P100",
            "Nvidia",
            memory_gb=16,
            memory_kind="HBM2",
            memory_bandwidth_tb_s=0.732,
            interconnect="none (PCIe only)",
            host_link="PCIe 3.0 x16",
            power_w=250,
            tflops_fp16_dense=18.7,
        ),
        _a(
            "V100M16",
            "Nvidia",
            memory_gb=16,
            memory_kind="HBM2",
            memory_bandwidth_tb_s=0.9,
            interconnect="NVLink 300 GB/s",
            host_link="PCIe 3.0 x16",
            power_w=300,
            tflops_fp16_dense=125,
        ),
        _a(
            "V100M32",
            "Nvidia",
            memory_gb=32,
            memory_kind="HBM2",
            memory_bandwidth_tb_s=0.9,
            interconnect="NVLink 300 GB/s",
            host_link="PCIe 3.0 x16",
            power_w=300,
            tflops_fp16_dense=125,
        ),
        _a(
            "A10",
            "Nvidia",
            memory_gb=24,
            memory_kind="GDDR6",
            memory_bandwidth_tb_s=0.6,
            interconnect="none (PCIe only)",
            host_link="PCIe 4.0 x16",
            power_w=150,
            tflops_fp16_dense=125,
        ),
    )
}


# Stand-ins for speeds a vendor has not disclosed: the Zhenwu 810E is positioned against the
# H20 (same 96 GB, same 400 W), so its dense throughput is taken at the H20's. An assumption,
# named wherever it is used; a model with neither a figure nor a stand-in has no known speed.
SPEED_STAND_INS: dict[str, str] = {"zhenwu-810e": "h20"}


def training_tflops(name: str) -> float | None:
    """Dense FP16/BF16 TFLOPS of ``name``, the speed of a compute-bound training step: the
    vendor's figure, else its :data:`SPEED_STAND_INS` stand-in's, else None (unknown)."""
    card = accelerator(name)
    if card.tflops_fp16_dense is not None:
        return card.tflops_fp16_dense
    stand_in = SPEED_STAND_INS.get(card.name.lower())
    return accelerator(stand_in).tflops_fp16_dense if stand_in else None


def accelerator(name: str) -> Accelerator:
    """The catalogue entry for ``name`` (case-insensitive); UnknownAccelerator otherwise."""
    key = name.strip().lower()
    if key not in CATALOGUE:
        known = ", ".join(sorted(a.name for a in CATALOGUE.values()))
        raise UnknownAccelerator(f"unknown accelerator {name!r}; known models: {known}")
    return CATALOGUE[key]
