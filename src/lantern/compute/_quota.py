"""Quota bookkeeping with Kueue semantics: nominal quota, cohort borrowing, limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lantern.compute._workloads import Tenant
from lantern.compute.errors import WorkloadError

__all__ = ["Quotas"]


@dataclass
class Quotas:
    """Per-tenant GPU usage against nominal quotas; ``enabled`` False means no quotas."""

    tenants: dict[str, Tenant]
    usage_milli: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, tenants: Sequence[Tenant]) -> Quotas:
        """Quotas for these tenants (none: quotas off)."""
        by_name: dict[str, Tenant] = {}
        for t in tenants:
            if t.name in by_name:
                raise WorkloadError(f"tenant {t.name!r} is defined twice")
            by_name[t.name] = t
        return cls(by_name, {n: 0 for n in by_name})

    @property
    def enabled(self) -> bool:
        """Whether any tenant (and so any quota) is defined."""
        return bool(self.tenants)

    def check_tenant(self, name: str) -> None:
        """WorkloadError if quotas are on and ``name`` is not a tenant."""
        if self.enabled and name not in self.tenants:
            known = ", ".join(sorted(self.tenants))
            raise WorkloadError(f"job of unknown tenant {name!r}; tenants: {known}")

    def cohort_members(self, tenant: str) -> list[str]:
        """Tenants sharing ``tenant``'s cohort (just itself without a cohort)."""
        cohort = self.tenants[tenant].cohort
        if cohort is None:
            return [tenant]
        return [n for n, t in self.tenants.items() if t.cohort == cohort]

    def cohort_nominal(self, tenant: str) -> int:
        """Sum of nominal quotas in ``tenant``'s cohort."""
        return sum(self.tenants[n].nominal_milli for n in self.cohort_members(tenant))

    def cohort_usage(self, tenant: str) -> int:
        """GPU usage of ``tenant``'s cohort."""
        return sum(self.usage_milli.get(n, 0) for n in self.cohort_members(tenant))

    def within_nominal(self, tenant: str, request_milli: int) -> bool:
        """Does the request fit the tenant's own guaranteed quota?"""
        if not self.enabled:
            return True
        return self.usage_milli[tenant] + request_milli <= self.tenants[tenant].nominal_milli

    def can_borrow(self, tenant: str, request_milli: int) -> bool:
        """Does the request fit by borrowing unused quota of the tenant's cohort?"""
        t = self.tenants[tenant]
        if t.cohort is None:
            return False
        limit = t.nominal_milli + (
            round(t.borrowing_limit_gpus * 1000) if t.borrowing_limit_gpus is not None else 10**18
        )
        used = self.usage_milli[tenant] + request_milli
        return used <= limit and self.cohort_usage(tenant) + request_milli <= self.cohort_nominal(
            tenant
        )

    def share(self, tenant: str) -> float:
        """Weighted dominant share: usage over nominal quota, divided by the weight."""
        if not self.enabled:
            return 0.0
        t = self.tenants[tenant]
        return self.usage_milli[tenant] / max(t.nominal_milli, 1) / t.weight

    def add(self, tenant: str, milli: int) -> None:
        """Book ``milli`` (negative to free) on the tenant."""
        self.usage_milli[tenant] = self.usage_milli.get(tenant, 0) + milli
        assert self.usage_milli[tenant] >= 0

    def check(self) -> None:
        """Assert no tenant and no cohort exceeds what the borrowing rules allow."""
        for name, t in self.tenants.items():
            used = self.usage_milli[name]
            if t.cohort is None:
                assert used <= t.nominal_milli, (name, used)
                continue
            if t.borrowing_limit_gpus is not None:
                assert used <= t.nominal_milli + round(t.borrowing_limit_gpus * 1000), name
            assert self.cohort_usage(name) <= self.cohort_nominal(name), t.cohort
