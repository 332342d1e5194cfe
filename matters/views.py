"""The staff workspace: queue, registration, matter page and its actions.

Views are thin: parse a form, call one selector or service, render. A matter outside the user's
scope is a 404 everywhere, exactly like a missing one.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from audit.selectors import events_for
from deadlines.models import DeadlinePolicy
from deadlines.periods import due_state
from deadlines.rules import CLOCKS, Clock, ClockRule
from intel.selectors import likely_duplicates_for
from org.models import User
from org.scope import holds_role_over
from xinfang.web import request_user as _user

from . import selectors
from .errors import DomainError
from .forms import ACTION_FORMS, QueueFilterForm, RegistrationForm, may_register
from .lifecycle import OPEN_STATES, TRANSITIONS
from .models import Deadline, Matter
from .repeats import final_after_re_review
from .routing import suggest_unit
from .services import ACTIONS, CLOCK_ACTION_ROLES, may_reclassify, register_matter, reveal_petitioner
from .templatetags.xinfang_ui import DueInfo, action_label, due_info, grouped_code

PAGE_SIZE = 50
# The usual next step gets the primary button when the user may take it.
PRIMARY_ACTIONS = (
    "accept",
    "reply",
    "forward",
    "follow_up",
    "decide_review",
    "decide_re_review",
    "request_review",
    "request_re_review",
    "resume",
)



def _matter_or_404(user: User, pk: int) -> Matter:
    try:
        return selectors.get_matter_for(user, pk)
    except Matter.DoesNotExist:
        raise Http404


def _htmx_partial(request: HttpRequest, target: str) -> bool:
    """An htmx request that wants only ``target``'s content (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == target and not htmx.history_restore_request)


# --- queue -------------------------------------------------------------------------------------


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    user, today = _user(request), timezone.localdate()
    form = QueueFilterForm(request.GET or None, user=user)
    wanted, counts = form.to_filter(), selectors.due_state_counts(user, today)
    matters = selectors.sorted_queue(selectors.queue(user, wanted, today)).select_related("petitioner")
    rows = selectors.SortedRows(matters, selectors.known_queue_count(wanted, counts))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": today,
        "counts": counts,
        "active_due_state": form.data.get("due_state", "") if form.is_bound else "",
        "filtered": form.is_bound and form.active_count() > 0,
    }
    if _htmx_partial(request, "results"):
        return render(request, "matters/_queue_results.html", {**context, "oob": True})
    return render(request, "matters/queue.html", context)


# --- registration ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not may_register(user):
        raise PermissionDenied(_("Only a registrar may register matters."))
    error, status = "", 200
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            try:
                matter = register_matter(form.to_data(), actor=user, now=timezone.now())
            except DomainError as err:
                form.apply_domain_error(err)
                error, status = err.message, err.status
            else:
                messages.success(
                    request,
                    _("Matter registered. Query code for the petitioner: %(code)s")
                    % {"code": grouped_code(matter.query_code)},
                )
                return redirect("matter_detail", pk=matter.pk)
        else:
            error, status = _("The registration has errors; nothing was saved."), 422
    else:
        form = RegistrationForm(user=user)
    return render(request, "matters/create.html", {"form": form, "error": error}, status=status)


# --- matter page -------------------------------------------------------------------------------


@dataclass
class DeadlineRow:
    deadline: Deadline
    rule: ClockRule
    info: DueInfo
    pauses: list[tuple[date, date | None]]

    @property
    def label(self) -> Any:
        if self.deadline.clock == Clock.LOCAL_TARGET and self.deadline.profile_name:
            return self.deadline.profile_name
        return self.rule.label

    @property
    def met(self) -> bool:
        """A stopped clock was met when it stopped on or before its due date."""
        return self.deadline.stopped_on is not None and self.deadline.stopped_on <= self.deadline.due

    @property
    def late_by(self) -> int:
        stopped = self.deadline.stopped_on
        return (stopped - self.deadline.due).days if stopped else 0


def _deadline_rows(matter: Matter, today: date) -> tuple[list[DeadlineRow], list[DeadlineRow]]:
    """Open clocks (most urgent first) and finished ones (in order)."""
    policy = DeadlinePolicy.current()
    open_rows, done_rows = [], []
    for d in matter.deadlines.all():
        rule = CLOCKS[Clock(d.clock)]
        pauses = [(date.fromisoformat(s), date.fromisoformat(e) if e else None) for s, e in d.pauses]
        if d.is_open:
            state = due_state(
                d.start,
                d.due,
                today,
                fraction=policy.due_soon_fraction,
                min_days=policy.due_soon_min_days,
                paused=d.paused,
            )
            open_rows.append(DeadlineRow(d, rule, due_info(d.due, today, state=state.value), pauses))
        else:
            done_rows.append(DeadlineRow(d, rule, due_info(d.due, today, state="stopped"), pauses))
    open_rows.sort(key=lambda r: r.deadline.due)
    return open_rows, done_rows


def clock_actions(user: User, matter: Matter, open_rows: list[DeadlineRow]) -> list[str]:
    """Pause/resume and reclassify, as ``pause_clock``/``resume_clock``/``reclassify_matter`` allow them."""
    if not holds_role_over(user, matter.handling_unit, CLOCK_ACTION_ROLES):
        return ["reclassify"] if may_reclassify(user, matter) else []
    running = [r.deadline for r in open_rows if r.rule.office_obligation]
    actions = []
    if any(not d.paused for d in running):
        actions.append("pause")
    if any(d.paused for d in running):
        actions.append("resume")
    if may_reclassify(user, matter):
        actions.append("reclassify")
    return actions


def _detail_context(request: HttpRequest, matter: Matter, *, revealed: bool = False) -> dict[str, Any]:
    user, today = _user(request), timezone.localdate()
    open_rows, done_rows = _deadline_rows(matter, today)
    actions = [*selectors.available_actions(user, matter), *clock_actions(user, matter, open_rows)]
    primary = next((a for a in PRIMARY_ACTIONS if a in actions), None)
    return {
        "matter": matter,
        "today": today,
        "petitioner": matter.petitioner,
        "representatives": list(matter.petitioner.representatives.all()),
        "revealed": revealed,
        "open_deadlines": open_rows,
        "done_deadlines": done_rows,
        "events": list(events_for("matter", matter.pk)),
        "attachments": list(matter.attachments.order_by("uploaded_at", "pk")),
        "actions": [(a, action_label(a), a == primary) for a in actions],
        "merged": list(matter.merged.only("pk", "query_code", "title")),
        **_repeat_context(user, matter),
        "likely_duplicates": likely_duplicates_for(
            user, matter.title, matter.content, phone_hash=matter.petitioner.phone_hash,
            id_hash=matter.petitioner.id_hash, now=timezone.now(), exclude_id=matter.pk,
        ) if matter.state in OPEN_STATES else [],
    }


def _repeat_context(user: User, matter: Matter) -> dict[str, Any]:
    """The earlier matter this one repeats, only if the user may see it, and whether it was final."""
    if matter.repeat_of_id is None:
        return {}
    earlier = selectors.matters_visible_to(user).filter(pk=matter.repeat_of_id).first()
    return {"repeat_of": earlier, "repeat_final": final_after_re_review(earlier), "repeat_hidden": earlier is None}


@login_required
@require_GET
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = _matter_or_404(_user(request), pk)
    return render(request, "matters/detail.html", _detail_context(request, matter))


@login_required
@require_POST
def matter_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the petitioner unmasked; the service records the view as an event."""
    user = _user(request)
    matter = _matter_or_404(user, pk)
    try:
        reveal_petitioner(matter.pk, actor=user, now=timezone.now())
    except Matter.DoesNotExist:
        raise Http404
    context = _detail_context(request, matter, revealed=True)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "matters/_reveal_response.html", context)
    return render(request, "matters/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def matter_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET: the small form for an action's parameters. POST: take the action."""
    if action not in ACTIONS or action not in ACTION_FORMS:
        raise Http404
    user = _user(request)
    matter = _matter_or_404(user, pk)
    form_class = ACTION_FORMS[action]
    error, status = "", 200
    if request.method == "POST":
        form = form_class(request.POST, user=user, matter=matter)
        if form.is_valid():
            service = ACTIONS[action]
            params = form.params()
            if "expected_version" in inspect.signature(service).parameters:
                params["expected_version"] = form.cleaned_data["expected_version"]
            try:
                service(matter.pk, actor=user, now=timezone.now(), **params)
            except Matter.DoesNotExist:
                raise Http404
            except DomainError as err:
                form.apply_domain_error(err)
                # A message that is also a field's error is shown once, next to the field.
                error = "" if err.message in err.fields.values() else err.message
                status = err.status
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": action_label(action)})
                url = reverse("matter_detail", kwargs={"pk": matter.pk})
                if request.htmx:  # type: ignore[attr-defined]
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        else:
            status = 422
    else:
        form = form_class(user=user, matter=matter)
    context = {
        "matter": matter,
        "form": form,
        "action": action,
        "label": action_label(action),
        "error": error,
        "transition": TRANSITIONS.get(action),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "matters/_action_form.html", context, status=status)
    return render(request, "matters/action_page.html", context, status=status)


@login_required
@require_GET
def routing_suggestion(request: HttpRequest) -> HttpResponse:
    """htmx fragment under the registration form's unit field."""
    def _id(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    suggestion = suggest_unit(_id("category"), _id("area"), now=timezone.now())
    return render(request, "matters/_routing_suggestion.html", {"suggestion": suggestion})
