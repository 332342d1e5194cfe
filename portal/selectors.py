"""What the portal reads. A petitioner reaches a matter only with its query code and the last
four digits of the phone given at submission; the tracking page shows nothing internal."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from audit.models import Event
from audit.selectors import events_for
from deadlines.rules import CLOCKS, Clock
from matters.lifecycle import CLOSING_WINDOWS, State
from matters.models import Deadline, Matter
from org.models import Unit

from .models import GuideNode


def guide_root() -> GuideNode | None:
    return GuideNode.objects.filter(parent__isnull=True).order_by("order", "id").first()


def find_matter(code: str, phone_last4: str) -> Matter | None:
    """The matter with this query code whose petitioner's phone ends in these four digits."""
    code = code.strip().upper().replace("-", "").replace(" ", "")
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if not code or len(digits) != 4:
        return None
    matter = Matter.objects.select_related("petitioner", "handling_unit", "review_unit").filter(query_code=code).first()
    if matter is None or len(matter.petitioner.phone) < 4:
        return None
    return matter if hmac.compare_digest(matter.petitioner.phone[-4:], digits) else None


# What each event tells the petitioner, in plain words. Events not listed are internal.
def _plain(event: Event) -> str | None:
    after = event.after or {}
    texts = {
        "register": _("Your petition was registered."),
        "import_workorder": _("Your call to the 12345 hotline was registered."),
        "imported_reply": _("The handling result was recorded and the matter closed.")
        if after.get("state") == "closed" else _("The handling result was recorded."),
        "forward": _("Sent to %(unit)s, the unit competent for it.") % {"unit": after.get("to_unit_name", "")},
        "object": _("The receiving unit found it is not competent; the matter is being assigned again."),
        "accept": _("Accepted. A written reply is due within 60 days."),
        "refuse": _("Not accepted as a petition."),
        "merge": _("Handled together with an open matter about the same issue."),
        "extend": _("The handling period was extended by %(days)s days.") % {"days": after.get("days", "")},
        "reply": _("A written reply was given."),
        "follow_up": _("The unit followed up with you."),
        "request_review": _("You asked for a review."),
        "decide_review": _("The review decision was made."),
        "request_re_review": _("You asked for a re-review."),
        "decide_re_review": _("The re-review decision was made; it is final."),
        "close": _("The matter is closed."),
        "pause_clock": _("The clock stopped (e.g. for a hearing or an appraisal); that time does not count."),
        "resume_clock": _("The clock runs again."),
        "supply_material": _("You sent more material."),
        "rate": _("You rated the reply."),
    }
    return texts.get(event.verb)


# Reasons the law says the petitioner is told (refusal, extension); others stay internal.
_REASON_SHOWN = frozenset({"refuse", "extend"})


@dataclass(frozen=True)
class PublicStep:
    at: object
    text: str
    reason: str


def public_timeline(matter: Matter) -> list[PublicStep]:
    steps = []
    for e in events_for("matter", matter.pk):
        text = _plain(e)
        if text:
            steps.append(PublicStep(e.at, text, e.reason if e.verb in _REASON_SHOWN else ""))
    return steps


@dataclass(frozen=True)
class PublicDeadline:
    label: object
    due: date
    provisional: bool
    paused: bool
    if_missed: object
    basis: object


def public_deadlines(matter: Matter) -> list[PublicDeadline]:
    rows = Deadline.objects.filter(matter=matter, stopped_on__isnull=True).order_by("due")
    return [
        PublicDeadline(CLOCKS[Clock(d.clock)].label, d.due, d.provisional, d.paused,
                       CLOCKS[Clock(d.clock)].if_missed, CLOCKS[Clock(d.clock)].basis)
        for d in rows
        if CLOCKS[Clock(d.clock)].statutory
    ]


@dataclass(frozen=True)
class ReviewWindow:
    """Whether the petitioner may ask for review (or re-review) now, until when, and who decides."""

    kind: str  # "review" or "re_review"
    due: date | None
    open: bool
    deciding_body: Unit | None


def review_window(matter: Matter, today: date) -> ReviewWindow | None:
    clock = CLOSING_WINDOWS.get(State(matter.state))
    if clock is None:
        return None
    d = Deadline.objects.filter(matter=matter, clock=clock, stopped_on__isnull=True).first()
    due = d.due if d else None
    if matter.state == State.REVIEWED:
        base = matter.review_unit
        kind = "re_review"
    else:
        base = matter.handling_unit
        kind = "review"
    body = base.parent if base is not None else None
    return ReviewWindow(kind, due, due is not None and today <= due, body)
