"""Errors of the compute engine.

    LanternError
    └── ComputeError                 (compute engine)
        ├── TraceError               (a malformed or inconsistent trace row: file and line)
        ├── ClusterSpecError         (a cluster spec that cannot be parsed)
        ├── UnknownAccelerator       (a model not in the catalogue)
        ├── UnknownPolicy            (a policy name that does not exist)
        └── WorkloadError            (an inconsistent job, tenant or quota)

A broken invariant (a GPU allocated beyond its capacity, a quota exceeded by the
scheduler itself) is an ``assert``, never one of these.
"""

from __future__ import annotations

from lantern.errors import LanternError

__all__ = [
    "ClusterSpecError",
    "ComputeError",
    "TraceError",
    "UnknownAccelerator",
    "UnknownPolicy",
    "WorkloadError",
]


class ComputeError(LanternError):
    """Base class of the compute engine's errors."""

    code = "COMPUTE_ERROR"
    http_status = 422


class TraceError(ComputeError):
    """A trace CSV is malformed or inconsistent; the message names the file and line."""

    code = "COMPUTE_TRACE_INVALID"


class ClusterSpecError(ComputeError):
    """A cluster spec string cannot be parsed."""

    code = "COMPUTE_CLUSTER_SPEC_INVALID"


class UnknownAccelerator(ComputeError):
    """An accelerator model is not in the catalogue."""

    code = "COMPUTE_UNKNOWN_ACCELERATOR"


class UnknownPolicy(ComputeError):
    """A placement policy name does not exist."""

    code = "COMPUTE_UNKNOWN_POLICY"


class WorkloadError(ComputeError):
    """A job, tenant or quota definition is inconsistent."""

    code = "COMPUTE_WORKLOAD_INVALID"
