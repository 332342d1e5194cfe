"""Reception days: the list of slots, publishing, booking from the matter page, outcomes."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matters.errors import DomainError
from matters.models import Matter
from org.models import Role, RoleAssignment, User
from xinfang.web import request_user as _user

from . import reception
from .models import ReceptionBooking, ReceptionKind


def _error(request: HttpRequest, err: DomainError) -> None:
    messages.error(request, " ".join([err.message, *[str(v) for v in err.fields.values()]]))


@login_required
@require_GET
def slots(request: HttpRequest) -> HttpResponse:
    user, now = _user(request), timezone.now()
    rows = list(reception.upcoming_slots(now))
    mine = {b.pk: b for b in ReceptionBooking.objects.filter(slot__leader=user, outcome="").select_related("matter", "slot")}
    leader_ids = RoleAssignment.objects.filter(role=Role.LEADER).values("user_id")
    return render(request, "supervision/reception.html", {
        "slots": rows, "my_bookings": list(mine.values()), "kinds": ReceptionKind.choices,
        "leaders": User.objects.filter(pk__in=leader_ids, is_active=True), "now": timezone.localtime(now)})


def _parse(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    user, post = _user(request), request.POST
    starts, ends = _parse(post.get("starts_at", "")), _parse(post.get("ends_at", ""))
    if starts is None or ends is None:
        messages.error(request, _("Give the start and end as date and time."))
        return redirect("supervision_reception")
    try:
        reception.publish_slot(actor=user, leader_id=int(post.get("leader_id") or 0), kind=post.get("kind", ""),
                               starts_at=starts, ends_at=ends, place=post.get("place", ""),
                               capacity=int(post.get("capacity") or 0), now=timezone.now())
    except DomainError as err:
        _error(request, err)
    return redirect("supervision_reception")


@login_required
@require_POST
def book(request: HttpRequest, matter_pk: int) -> HttpResponse:
    slot = request.POST.get("slot_id", "")
    try:
        reception.book(int(slot) if slot.isdigit() else 0, matter_pk, actor=_user(request), now=timezone.now())
        messages.success(request, _("Booked for the reception."))
    except Matter.DoesNotExist:
        raise Http404
    except reception.ReceptionSlot.DoesNotExist:
        messages.error(request, _("Choose a slot."))
    except DomainError as err:
        _error(request, err)
    return redirect("matter_detail", pk=matter_pk)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        reception.record_outcome(pk, actor=_user(request), outcome=request.POST.get("outcome", ""), now=timezone.now())
    except ReceptionBooking.DoesNotExist:
        raise Http404
    except DomainError as err:
        _error(request, err)
    return redirect("supervision_reception")
