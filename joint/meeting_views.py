"""Joint meeting pages: the list with the convening form, one meeting with its agenda, and the
forms that run it. A form with problems is shown again on the page with its errors in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matters.errors import DomainError
from matters.models import Matter
from matters.selectors import get_matter_by_code_for
from org.models import User
from xinfang.web import request_user as user_of

from . import meetings, rules, selectors
from .forms import AgendaForm, ConveneForm, DecideForm, HoldForm, ItemAssignForm, JointForm
from .models import AgendaItem, JointMeeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = selectors.convening_units(user)
    form = ConveneForm(request.POST or None, units=units)
    status, error = 200, ""
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                meeting = meetings.convene_meeting(actor=user, now=timezone.now(), **form.cleaned_data)
            except DomainError as err:
                form.apply_domain_error(err)
                error, status = err.message, err.status
            else:
                messages.success(request, _("The meeting is convened; put matters on its agenda."))
                return redirect("joint_meeting", pk=meeting.pk)
    return render(request, "joint/meetings.html", {
        "meetings": list(selectors.meetings_visible_to(user)[:200]), "form": form if units else None, "error": error},
        status=status)


def _meeting_or_404(user: User, pk: int) -> JointMeeting:
    meeting = selectors.meetings_visible_to(user).select_related("unit__parent").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def _render(request: HttpRequest, meeting: JointMeeting, *, status: int = 200, error: str = "",
            form_for: tuple[str, int | None, JointForm] | None = None) -> HttpResponse:
    """The meeting page; ``form_for`` is (form name, item id or None, bound form with errors)."""
    user = user_of(request)
    runs = rules.may_convene(user, meeting.unit)
    units = selectors.member_units(meeting) if runs else []
    items = selectors.agenda_for(user, meeting)

    def pick(name: str, item_id: int | None, fresh: Any) -> Any:
        return form_for[2] if form_for and form_for[:2] == (name, item_id) else fresh

    rows = [{"item": i,
             "decide_form": pick("decide", i.pk, DecideForm(initial={"decision": i.decision})),
             "assign_form": pick("assign", i.pk, ItemAssignForm(units=units))} for i in items]
    return render(request, "joint/meeting.html", {
        "meeting": meeting, "rows": rows, "runs": runs, "error": error,
        "may": {a: runs and rules.meeting_possible(a, meeting) for a in rules.MEETING_TRANSITIONS},
        "agenda_form": pick("add-item", None, AgendaForm()), "hold_form": pick("hold", None, HoldForm()),
    }, status=status)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _meeting_or_404(user_of(request), pk))


def _done(request: HttpRequest, meeting: JointMeeting, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("joint_meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    meeting = _meeting_or_404(user, pk)
    form: JointForm
    try:
        if action == "add-item":
            form = AgendaForm(request.POST)
            form.is_valid()
            found = get_matter_by_code_for(user, form.cleaned_data.get("code") or "")
            meetings.add_agenda_item(meeting.pk, actor=user, matter_id=found.pk if found else None,
                                     note=form.cleaned_data.get("note") or "", now=now)
            return _done(request, meeting, _("The matter is on the agenda."))
        if action == "hold":
            form = HoldForm(request.POST)
            form.is_valid()
            meetings.hold_meeting(meeting.pk, actor=user, minutes=form.cleaned_data.get("minutes") or "", now=now)
            return _done(request, meeting, _("The meeting is recorded as held."))
        if action == "close":
            meetings.close_meeting(meeting.pk, actor=user, now=now)
            return _done(request, meeting, _("The meeting is closed."))
    except DomainError as err:
        if action != "close":
            form.apply_domain_error(err)
        return _render(request, _meeting_or_404(user, pk), status=err.status, error=err.message,
                       form_for=(action, None, form) if action != "close" else None)
    raise Http404


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, now = user_of(request), timezone.now()
    item = AgendaItem.objects.filter(pk=pk).first()
    if item is None or action not in ("decide", "assign"):
        raise Http404
    meeting = _meeting_or_404(user, item.meeting_id)
    if item.pk not in {i.pk for i in selectors.agenda_for(user, meeting)}:
        raise Http404
    form: JointForm
    try:
        if action == "decide":
            form = DecideForm(request.POST)
            form.is_valid()
            meetings.record_decision(item.pk, actor=user, decision=form.cleaned_data.get("decision") or "", now=now)
            return _done(request, meeting, _("The decision is recorded."))
        form = ItemAssignForm(request.POST, units=selectors.member_units(meeting))
        if not form.is_valid():
            return _render(request, meeting, status=422, form_for=(action, item.pk, form))
        meetings.assign_from_decision(item.pk, actor=user, now=now, **form.cleaned_data)
        return _done(request, meeting, _("The units have their tasks."))
    except Matter.DoesNotExist:
        raise Http404 from None
    except DomainError as err:
        form.apply_domain_error(err)
        return _render(request, _meeting_or_404(user, meeting.pk), status=err.status, error=err.message,
                       form_for=(action, item.pk, form))


@login_required
@require_POST
def put_on_agenda(request: HttpRequest, matter_pk: int) -> HttpResponse:
    """From the matter card: the matter goes onto one of the user's meetings."""
    user = user_of(request)
    meeting_id = request.POST.get("meeting_id", "")
    meeting = _meeting_or_404(user, int(meeting_id)) if meeting_id.isdigit() else None
    if meeting is None:
        messages.error(request, _("Choose a meeting."))
        return redirect("matter_detail", pk=matter_pk)
    try:
        meetings.add_agenda_item(meeting.pk, actor=user, matter_id=matter_pk, note=request.POST.get("note", ""),
                                 now=timezone.now())
    except Matter.DoesNotExist:
        raise Http404 from None
    except DomainError as err:
        messages.error(request, " ".join([err.message, *[str(v) for v in err.fields.values() if str(v) != err.message]]))
        return redirect("matter_detail", pk=matter_pk)
    return _done(request, meeting, _("The matter is on the agenda."))
