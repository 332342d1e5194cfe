"""The clocks a matter can run: the statutory periods of the Regulation and the policy ones.

Periods fixed by law are constants here because the law fixes them; periods the law leaves to
policy read their length from ``DeadlinePolicy`` or a ``ServiceProfile``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import DayKind


class Clock(StrEnum):
    ACCEPTANCE = "acceptance"
    OBJECTION = "objection"
    HANDLING = "handling"
    LOCAL_TARGET = "local_target"
    FOLLOW_UP = "follow_up"
    REVIEW_REQUEST = "review_request"
    REVIEW_DECISION = "review_decision"
    RE_REVIEW_REQUEST = "re_review_request"
    RE_REVIEW_DECISION = "re_review_decision"


@dataclass(frozen=True)
class ClockRule:
    label: object
    days: int | None  # None: read from policy or profile
    day_kind: str
    basis: object
    statutory: bool
    # An obligation of the office (drives queues and supervision), as opposed to a window
    # the petitioner has for asking for review.
    office_obligation: bool
    if_missed: object


CLOCKS: dict[Clock, ClockRule] = {
    Clock.ACCEPTANCE: ClockRule(
        _("Decide on acceptance"), 15, DayKind.CALENDAR, _("Regulation on Petitions, Art. 22–23"), True, True,
        _("The unit is overdue; the matter is reported for supervision."),
    ),
    Clock.OBJECTION: ClockRule(
        _("Object to the assignment"), 5, DayKind.WORKING, _("Regulation on Petitions, Art. 22"), True, False,
        _("The receiving unit can no longer object and must handle the matter."),
    ),
    Clock.HANDLING: ClockRule(
        _("Written reply"), 60, DayKind.CALENDAR, _("Regulation on Petitions, Art. 34"), True, True,
        _("The unit is overdue; the matter is reported for supervision."),
    ),
    Clock.LOCAL_TARGET: ClockRule(
        _("Local service target"), None, DayKind.CALENDAR, _("Local service profile (policy)"), False, False,
        _("The local target is missed; the statutory deadline still applies."),
    ),
    Clock.FOLLOW_UP: ClockRule(
        _("Follow-up visit"), None, DayKind.CALENDAR, _("Deadline policy"), False, False,
        _("The follow-up is overdue."),
    ),
    Clock.REVIEW_REQUEST: ClockRule(
        _("Petitioner may ask for review"), 30, DayKind.CALENDAR, _("Regulation on Petitions, Art. 35"), True, False,
        _("The reply becomes final and the matter is closed."),
    ),
    Clock.REVIEW_DECISION: ClockRule(
        _("Review decision"), 30, DayKind.CALENDAR, _("Regulation on Petitions, Art. 35"), True, True,
        _("The reviewing body is overdue; the matter is reported for supervision."),
    ),
    Clock.RE_REVIEW_REQUEST: ClockRule(
        _("Petitioner may ask for re-review"), 30, DayKind.CALENDAR, _("Regulation on Petitions, Art. 36"), True, False,
        _("The review decision becomes final and the matter is closed."),
    ),
    Clock.RE_REVIEW_DECISION: ClockRule(
        _("Re-review decision"), 30, DayKind.CALENDAR, _("Regulation on Petitions, Art. 36"), True, True,
        _("The re-reviewing body is overdue; the matter is reported for supervision."),
    ),
}

EXTENSION_MAX_DAYS = 30  # Art. 34: at most 30 more days
