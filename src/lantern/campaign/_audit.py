"""The audit: every money invariant of one campaign, checked from the journal up.

Runs in one consistent snapshot (a read transaction on SQLite's WAL, REPEATABLE READ on
PostgreSQL) and reports each check with pass/fail and what it found.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from lantern.campaign import _schema as s
from lantern.campaign._pacing import cumulative
from lantern.campaign._scenario import Scenario
from lantern.campaign._types import AuditCheck, AuditReport
from lantern.campaign.errors import NotFoundError

__all__ = ["audit"]

REMAINING, OUTSTANDING = ("budget", "pool", "drop"), ("wallet", "vouchers")


class _Audit:
    def __init__(self, conn: Connection, cid: str, scenario: Scenario) -> None:
        self.conn, self.cid, self.scenario = conn, cid, scenario
        j = s.journal
        self.rebuilt: dict[str, int] = {
            acc: int(total)
            for acc, total in conn.execute(
                select(j.c.account, func.sum(j.c.amount_fen))
                .where(j.c.campaign_id == cid)
                .group_by(j.c.account)
            )
        }
        g = s.grant
        self.grants = conn.execute(
            select(g.c.drop_id, g.c.user_id, g.c.day, g.c.amount_fen, g.c.role, g.c.pool).where(
                g.c.campaign_id == cid
            )
        ).all()

    def journal_balanced(self) -> AuditCheck:
        j = s.journal
        stmt = (
            select(j.c.txn_id, func.sum(j.c.amount_fen), func.count())
            .where(j.c.campaign_id == self.cid)
            .group_by(j.c.txn_id)
            .having((func.sum(j.c.amount_fen) != 0) | (func.count() < 2))
        )
        bad = self.conn.execute(stmt.limit(5)).all()
        total = sum(self.rebuilt.values())
        txns = self.conn.execute(
            select(func.count(func.distinct(j.c.txn_id))).where(j.c.campaign_id == self.cid)
        ).scalar()
        ok = not bad and total == 0
        detail = f"{txns} transactions, overall debits - credits = {total} fen"
        if bad:
            detail += f"; unbalanced: {[(t, int(a), n) for t, a, n in bad]}"
        return AuditCheck("debits equal credits (per transaction and overall)", ok, detail)

    def cache_matches(self) -> AuditCheck:
        a = s.account
        cached = {
            acc: int(bal)
            for acc, bal in self.conn.execute(
                select(a.c.account, a.c.balance_fen).where(a.c.campaign_id == self.cid)
            )
        }
        names = set(cached) | set(self.rebuilt)
        diff = sorted(n for n in names if cached.get(n, 0) != self.rebuilt.get(n, 0))
        detail = f"{len(names)} accounts compared"
        if diff:
            detail += (
                f"; differ: {[(n, cached.get(n, 0), self.rebuilt.get(n, 0)) for n in diff[:5]]}"
            )
        return AuditCheck(
            "cached balances equal balances rebuilt from the journal", not diff, detail
        )

    def budget_identity(self) -> AuditCheck:
        by_kind: Counter[str] = Counter()
        for acc, bal in self.rebuilt.items():
            by_kind[acc.split(":", 1)[0]] += bal
        remaining = sum(by_kind[k] for k in REMAINING)
        reserved = sum(by_kind[k] for k in OUTSTANDING)
        settled, expired = by_kind["merchant"], by_kind["expired"]
        budget = self.scenario.budget_fen
        ok = budget == remaining + reserved + settled + expired and by_kind["funding"] == -budget
        detail = (
            f"budget {budget} = remaining {remaining} + reserved {reserved} + settled {settled} "
            f"+ expired {expired} (funded {-by_kind['funding']})"
        )
        return AuditCheck("budget = remaining + reserved + settled + expired", ok, detail)

    def non_negative(self) -> AuditCheck:
        negative = sorted((a, b) for a, b in self.rebuilt.items() if b < 0 and a != "funding")
        b = s.drop_bucket
        mismatched = []
        for drop_id, bucket, count_left, fen_left in self.conn.execute(
            select(b.c.drop_id, b.c.bucket, b.c.count_left, b.c.fen_left).where(
                b.c.campaign_id == self.cid
            )
        ):
            account = self.rebuilt.get(f"drop:{drop_id}#{bucket}", 0)
            if (
                count_left < 0
                or fen_left < 0
                or account != fen_left
                or (count_left == 0) != (fen_left == 0)
            ):
                mismatched.append((drop_id, bucket, count_left, fen_left, account))
        ok = not negative and not mismatched
        detail = f"{len(self.rebuilt)} accounts, drop buckets consistent with their accounts"
        if not ok:
            detail = f"negative: {negative[:5]}; inconsistent drop buckets: {mismatched[:5]}"
        return AuditCheck("remaining never negative", ok, detail)

    def quotas(self) -> AuditCheck:
        sc = self.scenario
        per_drop = Counter((d, u) for d, u, *_ in self.grants)
        bad = [f"{u} has {n} of {d}" for (d, u), n in per_drop.items() if n > sc.drop(d).per_user]
        for q in sc.quotas:
            members = set(q.drops) or {d.id for d in sc.drops}
            count: Counter[tuple[str, str]] = Counter()
            amount: Counter[tuple[str, str]] = Counter()
            for d, u, day, amt, _, _ in self.grants:
                if d in members:
                    key = (u, day if q.period == "day" else "")
                    count[key] += 1
                    amount[key] += amt
            bad += [
                f"{k} over {q.id} count"
                for k, n in count.items()
                if q.max_count and n > q.max_count
            ]
            bad += [
                f"{k} over {q.id} amount"
                for k, n in amount.items()
                if q.max_amount_fen and n > q.max_amount_fen
            ]
        if sc.referral is not None:
            inviters = Counter(u for _, u, _, _, role, _ in self.grants if role == "inviter")
            invitees = Counter(u for _, u, _, _, role, _ in self.grants if role == "invitee")
            bad += [
                f"{u} referred {n}"
                for u, n in inviters.items()
                if n > sc.referral.max_referrals_per_inviter
            ]
            bad += [f"{u} invited {n} times" for u, n in invitees.items() if n > 1]
        users = len({u for _, u, *_ in self.grants})
        detail = (
            f"{len(self.grants)} grants to {users} users within per-drop, campaign, day "
            "and referral quotas"
        )
        return AuditCheck("no user over quota", not bad, detail if not bad else "; ".join(bad[:5]))

    def vouchers_once(self) -> AuditCheck:
        r, v = s.reservation, s.voucher
        rows = self.conn.execute(
            select(
                r.c.voucher_id,
                r.c.state,
                r.c.discount_fen,
                r.c.order_total_fen,
                v.c.value_fen,
                v.c.state,
            )
            .join(v, v.c.voucher_id == r.c.voucher_id)
            .where(r.c.campaign_id == self.cid)
        ).all()
        used: Counter[str] = Counter()
        holds: Counter[str] = Counter()
        bad = []
        states = {}
        for vid, rstate, discount, total, value, vstate in rows:
            states[vid] = vstate
            if rstate in ("captured", "refunded"):
                used[vid] += 1
            if rstate == "reserved":
                holds[vid] += 1
            if not 0 < discount <= min(value, total):
                bad.append(f"{vid}: discount {discount} > value {value} or order {total}")
        bad += [f"{vid} redeemed {n} times" for vid, n in used.items() if n > 1]
        bad += [f"{vid} held {n} times" for vid, n in holds.items() if n > 1]
        for vid, vstate in states.items():
            if (vstate in ("redeemed", "refunded")) != (used[vid] == 1) or (
                vstate == "reserved"
            ) != (holds[vid] == 1):
                bad.append(f"{vid} is {vstate} with {used[vid]} redemptions and {holds[vid]} holds")
        detail = f"{len(used)} vouchers redeemed once each, within value and order total"
        return AuditCheck(
            "each voucher redeemed at most once, within value and order",
            not bad,
            detail if not bad else "; ".join(bad[:5]),
        )

    def resolved_once(self) -> AuditCheck:
        j = s.journal
        moves: Counter[tuple[str, str]] = Counter()
        for ref, kind, _ in self.conn.execute(
            select(j.c.ref, j.c.kind, j.c.txn_id)
            .where(j.c.campaign_id == self.cid, j.c.kind.in_(["capture", "refund"]))
            .group_by(j.c.ref, j.c.kind, j.c.txn_id)
        ):
            moves[(ref, kind)] += 1
        r, p = s.reservation, s.payment
        want = {"reserved": (0, 0), "released": (0, 0), "captured": (1, 0), "refunded": (1, 1)}
        bad = []
        for rid, state in self.conn.execute(
            select(r.c.reservation_id, r.c.state).where(r.c.campaign_id == self.cid)
        ):
            got = (moves[(rid, "capture")], moves[(rid, "refund")])
            if got != want[state]:
                bad.append(f"reservation {rid} is {state} with (captures, refunds) = {got}")
        for pid, state in self.conn.execute(
            select(p.c.payment_id, p.c.state).where(p.c.campaign_id == self.cid)
        ):
            if moves[(pid, "refund")] != (1 if state == "refunded" else 0):
                bad.append(f"payment {pid} is {state} with {moves[(pid, 'refund')]} refunds")
        return AuditCheck(
            "each reservation and payment resolved at most once",
            not bad,
            "every resolution matches its state" if not bad else "; ".join(bad[:5]),
        )

    def within_plan(self) -> AuditCheck:
        p = s.pacing_plan
        plan: dict[str, dict[str, int]] = defaultdict(dict)
        for pool, day, fen in self.conn.execute(
            select(p.c.pool, p.c.day, p.c.plan_fen).where(p.c.campaign_id == self.cid)
        ):
            plan[pool][day] = fen
        spent: Counter[tuple[str, str]] = Counter()
        for _, _, day, amt, _, pool in self.grants:
            spent[(pool, day)] += amt
        bad = []
        for pool, days in plan.items():
            cum, running = cumulative(days), 0
            rollover = self.scenario.pacing_for(pool).rollover
            for day in sorted(days):
                running += spent[(pool, day)]
                limit = cum[day] if rollover else days[day]
                value = running if rollover else spent[(pool, day)]
                if value > limit:
                    bad.append(f"{pool} {day}: spent {value} > plan {limit}")
        outside = [k for k in spent if k[1] not in plan.get(k[0], {})]
        bad += [f"{pool} spent on {day}, outside the plan" for pool, day in outside]
        return AuditCheck(
            "daily spend within plan (unspent plan rolls forward)",
            not bad,
            f"{len(spent)} pool-days within plan" if not bad else "; ".join(bad[:5]),
        )

    def grants_posted(self) -> AuditCheck:
        j = s.journal
        posted = self.conn.execute(
            select(
                func.count(func.distinct(j.c.txn_id)), func.coalesce(func.sum(j.c.amount_fen), 0)
            ).where(j.c.campaign_id == self.cid, j.c.kind == "grant", j.c.amount_fen > 0)
        ).one()
        total = sum(g[3] for g in self.grants)
        ok = posted[0] == len(self.grants) and int(posted[1]) == total
        detail = (
            f"{len(self.grants)} grants worth {total} fen; "
            f"journal: {posted[0]} grant transactions, {posted[1]} fen"
        )
        return AuditCheck("every grant is posted to the journal once", ok, detail)


def audit(conn: Connection, campaign_id: str) -> AuditReport:
    """Run every check of one campaign (see the module docstring)."""
    text = conn.execute(
        select(s.campaign.c.scenario_json).where(s.campaign.c.campaign_id == campaign_id)
    ).scalar()
    if text is None:
        raise NotFoundError(f"no campaign {campaign_id!r} is loaded")
    a = _Audit(conn, campaign_id, Scenario.model_validate_json(text))
    checks: list[Callable[[], AuditCheck]] = [
        a.budget_identity,
        a.journal_balanced,
        a.cache_matches,
        a.non_negative,
        a.quotas,
        a.vouchers_once,
        a.resolved_once,
        a.within_plan,
        a.grants_posted,
    ]
    return AuditReport(campaign_id, tuple(check() for check in checks))
