"""How screening events read in the history and the dossier."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

EVENT_LABELS: dict[str, Any] = {
    "screening_entry": _("Entered in the ledger"),
    "screening_start": _("Work started"),
    "screening_note": _("Progress recorded"),
    "screening_link": _("Matters linked"),
    "screening_escalate": _("Escalated to the parent unit"),
    "screening_propose": _("Resolution proposed"),
    "screening_sign_off": _("Signed off"),
    "screening_reject": _("Resolution not accepted"),
}


def event_label(verb: str) -> Any:
    return EVENT_LABELS.get(verb, verb)
