"""What the timelines call the events this app writes. The matter page's labels can take these in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, object] = {
    "hearing_scheduled": _("Hearing scheduled"),
    "hearing_record_minutes": _("Hearing minutes recorded"),
    "hearing_give_opinion": _("Hearing opinion given"),
    "hearing_close": _("Hearing closed"),
    "hearing_cancel": _("Hearing cancelled"),
    "hearing_notice": _("Hearing notice issued"),
    "panel_drawn": _("Panel drawn"),
    "panel_recusal": _("Panel member withdrew; replacement drawn"),
    "pool_member_added": _("Added to the pool"),
    "pool_member_changed": _("Pool member changed"),
    "pool_member_unavailable": _("Unavailability declared"),
    "pool_conflict_declared": _("Conflict declared"),
    "duty_shift_added": _("Lawyer duty shift added"),
    "lawyer_consultation": _("Lawyer consultation"),
}
