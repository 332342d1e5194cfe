"""The ledger entry's lifecycle in one table: the moves, the states each starts from, where it
leads, and who may make it. Services and pages both read it."""

from __future__ import annotations

from dataclasses import dataclass

from org.models import Role, Unit, User
from org.scope import holds_role_over

from .models import EntryStatus as S
from .models import LedgerEntry

WORKERS = (Role.HANDLER, Role.UNIT_HEAD)


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str | None  # None: the status stays as it is
    who: str  # a key of RULES


# Escalation keeps the entry open: the parent unit takes it up from the start.
MOVES: dict[str, Move] = {
    "start": Move((S.OPEN,), S.IN_PROGRESS, "worker"),
    "note": Move((S.OPEN, S.IN_PROGRESS, S.RESOLUTION_PROPOSED), None, "worker"),
    "link": Move((S.OPEN, S.IN_PROGRESS, S.RESOLUTION_PROPOSED), None, "worker"),
    "escalate": Move((S.OPEN, S.IN_PROGRESS), S.OPEN, "worker"),
    "propose": Move((S.OPEN, S.IN_PROGRESS), S.RESOLUTION_PROPOSED, "worker"),
    "sign_off": Move((S.RESOLUTION_PROPOSED,), S.CLOSED, "approver"),
    "reject": Move((S.RESOLUTION_PROPOSED,), S.IN_PROGRESS, "approver"),
}


def _worker(user: User, unit: Unit) -> bool:
    """A handler or head of the responsible unit (or of a unit above it)."""
    return holds_role_over(user, unit, WORKERS)


def _approver(user: User, unit: Unit) -> bool:
    """A unit head of the responsible unit, or a supervisor over it."""
    return holds_role_over(user, unit, [Role.UNIT_HEAD, Role.SUPERVISOR])


RULES = {"worker": _worker, "approver": _approver}


def may(user: User, entry: LedgerEntry, move: str) -> bool:
    """Whether ``user`` may make ``move`` on ``entry`` now; sign-off also needs another person."""
    m = MOVES[move]
    if entry.status not in m.sources or not RULES[m.who](user, entry.responsible_unit):
        return False
    if move == "sign_off" and user.pk == entry.proposed_by_id:
        return False
    if move == "escalate" and entry.responsible_unit.parent_id is None:
        return False
    return True


def moves_for(user: User, entry: LedgerEntry) -> set[str]:
    return {name for name in MOVES if may(user, entry, name)}
