"""What the timelines call the events this app writes. The matter page's labels can take these in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, object] = {
    "joint_assign": _("Task assigned to a unit"),
    "joint_answer": _("Task answered"),
    "joint_accept": _("Task answer accepted"),
    "joint_return": _("Task answer returned"),
    "joint_consolidate": _("Answers consolidated by the lead unit"),
    "joint_agenda": _("Put on a joint meeting's agenda"),
    "joint_decision": _("Joint meeting decision"),
    "joint_convene": _("Joint meeting convened"),
    "joint_hold": _("Joint meeting held"),
    "joint_close": _("Joint meeting closed"),
}
