"""The lifecycle of a petition matter (§4) as one table.

Each row: the action, the states it may start from, the state it leads to, the roles that may
take it, whose scope must cover the matter, the clocks it stops and starts, and whether the
petitioner may take it themselves on the portal. Services read
this table; nothing else decides what may happen next.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from deadlines.rules import Clock
from org.models import Role


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    FORWARDED = "forwarded", _("Forwarded")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    MERGED = "merged", _("Merged")
    EXTENDED = "extended", _("Extended")
    REPLIED = "replied", _("Replied")
    FOLLOWED_UP = "followed_up", _("Follow-up done")
    REVIEW_REQUESTED = "review_requested", _("Review requested")
    REVIEWED = "reviewed", _("Reviewed")
    RE_REVIEW_REQUESTED = "re_review_requested", _("Re-review requested")
    RE_REVIEWED = "re_reviewed", _("Re-reviewed")
    CLOSED = "closed", _("Closed")


class Scope(StrEnum):
    """Whose scope must cover the matter for the actor to act."""

    HANDLING_UNIT = "handling_unit"  # the unit now responsible
    ABOVE_HANDLING_UNIT = "above_handling_unit"  # the body above it (review)
    ABOVE_REVIEW_UNIT = "above_review_unit"  # the body above the reviewer (re-review)
    SYSTEM = "system"  # no person: the closing job


@dataclass(frozen=True)
class Transition:
    action: str
    label: object
    sources: frozenset[State]
    target: State
    roles: frozenset[str]
    scope: Scope
    stops: tuple[Clock, ...] = ()
    starts: tuple[Clock, ...] = ()
    # The petitioner may take it themselves on the public portal (with the query code).
    by_petitioner: bool = False


def _t(action: str, label: object, sources: Set[State], target: State, roles: Set[str], scope: Scope,
       stops: tuple[Clock, ...] = (), starts: tuple[Clock, ...] = (), by_petitioner: bool = False) -> Transition:
    return Transition(action, label, frozenset(sources), target, frozenset(roles), scope, stops, starts, by_petitioner)


R = Role
S = State
C = Clock
_DECIDING = {R.HANDLER, R.UNIT_HEAD, R.REVIEWER}
_ALL_CLOCKS = tuple(Clock)

TRANSITIONS: dict[str, Transition] = {t.action: t for t in [
    _t("forward", _("Forward / assign"), {S.REGISTERED}, S.FORWARDED, {R.REGISTRAR, R.REVIEWER},
       Scope.HANDLING_UNIT, stops=(C.ACCEPTANCE,), starts=(C.ACCEPTANCE, C.OBJECTION)),
    _t("object", _("Object: not competent"), {S.FORWARDED}, S.REGISTERED, {R.HANDLER, R.UNIT_HEAD},
       Scope.HANDLING_UNIT, stops=(C.ACCEPTANCE, C.OBJECTION), starts=(C.ACCEPTANCE,)),
    _t("accept", _("Accept"), {S.REGISTERED, S.FORWARDED}, S.ACCEPTED, _DECIDING,
       Scope.HANDLING_UNIT, stops=(C.ACCEPTANCE, C.OBJECTION), starts=(C.HANDLING, C.LOCAL_TARGET)),
    _t("refuse", _("Do not accept"), {S.REGISTERED, S.FORWARDED}, S.NOT_ACCEPTED, _DECIDING,
       Scope.HANDLING_UNIT, stops=(C.ACCEPTANCE, C.OBJECTION)),
    _t("merge", _("Merge into an open matter"), {S.REGISTERED, S.FORWARDED}, S.MERGED, {R.REGISTRAR, R.REVIEWER},
       Scope.HANDLING_UNIT, stops=_ALL_CLOCKS),
    _t("extend", _("Extend"), {S.ACCEPTED}, S.EXTENDED, {R.UNIT_HEAD},
       Scope.HANDLING_UNIT),
    _t("reply", _("Reply in writing"), {S.ACCEPTED, S.EXTENDED}, S.REPLIED, {R.HANDLER, R.UNIT_HEAD},
       Scope.HANDLING_UNIT, stops=(C.HANDLING, C.LOCAL_TARGET), starts=(C.FOLLOW_UP, C.REVIEW_REQUEST)),
    _t("follow_up", _("Record follow-up"), {S.REPLIED}, S.FOLLOWED_UP, {R.HANDLER, R.REVIEWER},
       Scope.HANDLING_UNIT, stops=(C.FOLLOW_UP,)),
    _t("request_review", _("Record review request"), {S.REPLIED, S.FOLLOWED_UP}, S.REVIEW_REQUESTED, {R.REGISTRAR},
       Scope.HANDLING_UNIT, stops=(C.FOLLOW_UP, C.REVIEW_REQUEST), starts=(C.REVIEW_DECISION,), by_petitioner=True),
    _t("decide_review", _("Decide review"), {S.REVIEW_REQUESTED}, S.REVIEWED, {R.REVIEWER, R.UNIT_HEAD},
       Scope.ABOVE_HANDLING_UNIT, stops=(C.REVIEW_DECISION,), starts=(C.RE_REVIEW_REQUEST,)),
    _t("request_re_review", _("Record re-review request"), {S.REVIEWED}, S.RE_REVIEW_REQUESTED, {R.REGISTRAR},
       Scope.HANDLING_UNIT, stops=(C.RE_REVIEW_REQUEST,), starts=(C.RE_REVIEW_DECISION,), by_petitioner=True),
    _t("decide_re_review", _("Decide re-review"), {S.RE_REVIEW_REQUESTED}, S.RE_REVIEWED, {R.REVIEWER, R.UNIT_HEAD},
       Scope.ABOVE_REVIEW_UNIT, stops=(C.RE_REVIEW_DECISION,)),
    _t("close", _("Close"), {S.REPLIED, S.FOLLOWED_UP, S.REVIEWED, S.RE_REVIEWED}, S.CLOSED, set(),
       Scope.SYSTEM, stops=_ALL_CLOCKS),
]}

TERMINAL_STATES = frozenset({S.NOT_ACCEPTED, S.MERGED, S.CLOSED})
# A written reply exists (every way to these states passes through "reply"): it can be rated.
REPLIED_STATES = frozenset({S.REPLIED, S.FOLLOWED_UP, S.REVIEW_REQUESTED, S.REVIEWED, S.RE_REVIEW_REQUESTED,
                            S.RE_REVIEWED, S.CLOSED})
OPEN_STATES = frozenset(set(State) - TERMINAL_STATES)
# The window the petitioner has to ask for review or re-review; closing waits for it to lapse.
CLOSING_WINDOWS = {S.REPLIED: C.REVIEW_REQUEST, S.FOLLOWED_UP: C.REVIEW_REQUEST, S.REVIEWED: C.RE_REVIEW_REQUEST}
