"""What a petitioner does on the portal. Each change runs in a transaction and writes its event;
the lifecycle moves (asking for review) go through the matter services and their table."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record_event
from matters import services as matter_services
from matters.errors import IllegalTransition, InvalidInput
from matters.lifecycle import OPEN_STATES, REPLIED_STATES, State
from matters.models import Matter
from matters.services import PETITIONER, IncomingFile, RegistrationData
from notify.services import notify_rating
from org.models import Unit, UnitKind

from .models import GuideNode, Outcome, Rating, Supplement


def highest_unit(kind: str) -> Unit | None:
    return min(Unit.objects.filter(kind=kind).order_by("path"), key=lambda u: u.path.count("/"), default=None)


def online_intake_unit() -> Unit:
    """The petition office that receives online petitions: the highest one in the tree."""
    office = highest_unit(UnitKind.PETITION_OFFICE)
    if office is None:
        raise InvalidInput(_("Online petitions are not open: no petition office is set up yet."))
    return office


def submit_petition(data: RegistrationData, *, now: datetime, guide: GuideNode | None = None) -> Matter:
    """网上信访: the guide's answer, when it reached the petition form, sets the kind of handling
    and the competent unit; otherwise the online petition office receives the matter."""
    if not data.petitioner.phone.strip():
        raise InvalidInput(_("A phone number is needed: you track the matter with it."),
                           fields={"petitioner.phone": _("Required.")})
    if guide is not None and guide.outcome == Outcome.PETITION:
        data.handling_kind = guide.handling_kind or data.handling_kind
        unit = guide.unit or (highest_unit(guide.unit_kind) if guide.unit_kind else None)
        data.handling_unit_id = unit.pk if unit else data.handling_unit_id
    return matter_services.submit_online(data, intake_unit=online_intake_unit(), now=now)


def _locked(matter_id: int) -> Matter:
    return Matter.objects.select_for_update().get(pk=matter_id)


def supply_material(matter_id: int, *, text: str, files: list[IncomingFile], now: datetime) -> Supplement:
    """补充材料: while the matter is open, nothing the petitioner sends is refused for being late."""
    errors: dict[str, str] = {}
    if not text.strip() and not files:
        errors["text"] = _("Write something or attach a file.")
    for i, f in enumerate(files):
        matter_services.check_file(f, i, errors)
    if errors:
        raise InvalidInput(_("Nothing was sent; please correct the marked fields."), fields=errors)
    with transaction.atomic():
        matter = _locked(matter_id)
        if matter.state not in OPEN_STATES:
            raise IllegalTransition(_("The matter is finished; material can no longer be added."))
        supplement = Supplement.objects.create(matter=matter, text=text.strip(), sent_at=now)
        stored = [matter_services.store_file(f, matter, now) for f in files]
        record_event("supply_material", actor_label=PETITIONER, target=matter, at=now,
                     after={"supplement": supplement.pk, "files": [a.sha256 for a in stored]})
    return supplement


def rate_reply(matter_id: int, *, level: str, comment: str, now: datetime) -> Rating:
    """满意度评价: once, after the written reply."""
    if level not in Rating.Level.values:
        raise InvalidInput(_("Choose one of the three answers."), fields={"level": _("Required.")})
    with transaction.atomic():
        matter = _locked(matter_id)
        if matter.state not in REPLIED_STATES:
            raise IllegalTransition(_("The reply can be rated once it has been given."))
        if Rating.objects.filter(matter=matter).exists():
            raise IllegalTransition(_("This reply has already been rated."))
        rating = Rating.objects.create(matter=matter, level=level, comment=comment.strip(), rated_at=now)
        record_event("rate", actor_label=PETITIONER, target=matter, at=now, after={"level": level})
        notify_rating(matter, rating.get_level_display(), now=now)
    return rating


def ask_for_review(matter_id: int, *, reason: str, now: datetime) -> Matter:
    """申请复查 after a reply, or 申请复核 after a review decision, inside the 30-day window."""
    matter = Matter.objects.get(pk=matter_id)
    if matter.state == State.REVIEWED:
        return matter_services.request_re_review(matter_id, actor=None, now=now, reason=reason, by_petitioner=True)
    return matter_services.request_review(matter_id, actor=None, now=now, reason=reason, by_petitioner=True)
