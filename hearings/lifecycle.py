"""A hearing's life as two tables: what may be heard in which matter state and by which body, and
the moves of a hearing once scheduled. Services read these tables; nothing else decides.

Every move is made by a petition-office reviewer whose scope covers the organising unit. The
moves that conclude a hearing resume the matter's clocks that scheduling paused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from matters.lifecycle import Scope, State

from .models import HearingPurpose, HearingState

P = HearingPurpose
H = HearingState


@dataclass(frozen=True)
class Purpose:
    states: frozenset[State]
    # Which body may hold it: the same rule as the decision the hearing prepares.
    scope: Scope


PURPOSES: dict[str, Purpose] = {
    P.REVIEW: Purpose(frozenset({State.REVIEW_REQUESTED}), Scope.ABOVE_HANDLING_UNIT),
    P.RE_REVIEW: Purpose(frozenset({State.RE_REVIEW_REQUESTED}), Scope.ABOVE_REVIEW_UNIT),
    P.HARD_MATTER: Purpose(frozenset({State.ACCEPTED, State.EXTENDED}), Scope.HANDLING_UNIT),
}


@dataclass(frozen=True)
class Move:
    action: str
    label: object
    sources: frozenset[HearingState]
    target: HearingState
    concludes: bool = False


MOVES: dict[str, Move] = {m.action: m for m in [
    Move("record_minutes", _("Record the minutes"), frozenset({H.SCHEDULED}), H.HELD),
    Move("give_opinion", _("Record the panel's opinion"), frozenset({H.HELD}), H.OPINION_GIVEN, concludes=True),
    Move("close", _("Close the hearing"), frozenset({H.OPINION_GIVEN}), H.CLOSED),
    Move("cancel", _("Cancel the hearing"), frozenset({H.SCHEDULED, H.HELD}), H.CANCELLED, concludes=True),
]}

# While scheduled the panel is drawn, members recuse and notices go out.
PANEL_STATES = frozenset({H.SCHEDULED})
