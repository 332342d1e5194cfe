"""The evaluation of a suggestion as one table.

Each row: the action, the states it may start from, the state it leads to (None: it stays), the
roles that may take it, whose scope must cover the suggestion, and whether the proposer hears of
it. Who decides: the petition office (registrar, reviewer) over the receiving unit routes a
suggestion to a unit and merges duplicates; the evaluating unit's handlers and heads write the
opinion and report on implementation; adopting or not, in whole or in part, and declaring it
implemented commit the unit, so they need its head (单位负责人).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from org.models import Role

from .models import SuggestionState as S


class Scope(StrEnum):
    RECEIVING_UNIT = "receiving_unit"
    EVALUATING_UNIT = "evaluating_unit"


@dataclass(frozen=True)
class Move:
    action: str
    label: object
    sources: frozenset[S]
    target: S | None
    roles: frozenset[str]
    scope: Scope
    tells_proposer: bool


OFFICE = {Role.REGISTRAR, Role.REVIEWER}
EVALUATORS = {Role.HANDLER, Role.UNIT_HEAD}
HEADS = {Role.UNIT_HEAD}
ADOPTED_STATES = frozenset({S.ADOPTED, S.PARTLY_ADOPTED})
# Shown on the public page of adopted suggestions, with what became of them.
PUBLIC_STATES = ADOPTED_STATES | {S.IMPLEMENTED}


def _m(action: str, label: object, sources: Set[S], target: S | None, roles: Set[str], scope: Scope,
       tells_proposer: bool = True) -> Move:
    return Move(action, label, frozenset(sources), target, frozenset(roles), scope, tells_proposer)


MOVES: dict[str, Move] = {m.action: m for m in [
    _m("assign", _("Assign to a unit"), {S.RECEIVED, S.EVALUATING}, S.EVALUATING, OFFICE, Scope.RECEIVING_UNIT),
    _m("merge", _("Merge as a duplicate"), {S.RECEIVED, S.EVALUATING}, S.MERGED, OFFICE, Scope.RECEIVING_UNIT),
    _m("evaluate", _("Record the evaluation opinion"), {S.EVALUATING}, None, EVALUATORS, Scope.EVALUATING_UNIT,
       tells_proposer=False),
    _m("adopt", _("Adopt"), {S.EVALUATING}, S.ADOPTED, HEADS, Scope.EVALUATING_UNIT),
    _m("adopt_partly", _("Adopt in part"), {S.EVALUATING}, S.PARTLY_ADOPTED, HEADS, Scope.EVALUATING_UNIT),
    _m("decline", _("Do not adopt"), {S.EVALUATING}, S.NOT_ADOPTED, HEADS, Scope.EVALUATING_UNIT),
    _m("report", _("Report on implementation"), ADOPTED_STATES, None, EVALUATORS, Scope.EVALUATING_UNIT),
    _m("implement", _("Declare implemented"), ADOPTED_STATES, S.IMPLEMENTED, HEADS, Scope.EVALUATING_UNIT),
]}

DECISIONS = ("adopt", "adopt_partly", "decline")
