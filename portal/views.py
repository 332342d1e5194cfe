"""The public portal: no account; a matter is reached with its query code and the last four
digits of the phone given, after which this browser session may see and act on it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.models import IssuedDocument
from documents.pdf import render_notice
from documents.views import pdf_response
from matters.errors import DomainError
from matters.models import Matter
from matters.services import IncomingFile

from . import selectors, services
from .forms import PetitionForm, RatingForm, ReviewForm, SupplyForm, TrackForm
from .limits import limited as _limited
from .models import GuideNode, Outcome, Rating

SESSION_MATTERS = "portal_matters"
SESSION_SUBMITTED = "portal_submitted"



def _grant(request: HttpRequest, matter: Matter) -> None:
    ids = set(request.session.get(SESSION_MATTERS, []))
    ids.add(matter.pk)
    request.session[SESSION_MATTERS] = sorted(ids)


def _granted(request: HttpRequest, code: str) -> Matter:
    """The matter this session proved it may see; anything else is a 404."""
    matter = Matter.objects.select_related("handling_unit", "review_unit").filter(query_code=code).first()
    if matter is None or matter.pk not in request.session.get(SESSION_MATTERS, []):
        raise Http404
    return matter


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"node": selectors.guide_root(), "track": TrackForm()})


@require_GET
def guide_step(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(GuideNode, pk=pk)
    return render(request, "portal/guide.html", {"node": node, "options": node.children.all()})


def _guide_from(request: HttpRequest) -> GuideNode | None:
    pk = request.GET.get("guide") or request.POST.get("guide") or ""
    return GuideNode.objects.filter(pk=int(pk), outcome=Outcome.PETITION).first() if pk.isdigit() else None


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    guide = _guide_from(request)
    status = 200
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES)
        if form.is_bot():
            return render(request, "portal/refused.html", {"message": _("The form could not be accepted.")}, status=400)
        if _limited(request, "portal-submit", settings.PORTAL_SUBMIT_RATE, increment=True):
            return render(request, "portal/refused.html", {
                "message": _("Too many petitions from this connection in a short time. Please try again later, or call or visit the petition office.")
            }, status=429)
        if form.is_valid():
            try:
                matter = services.submit_petition(form.to_data(), now=timezone.now(), guide=guide)
            except DomainError as err:
                form.apply_domain_error(err)
                status = err.status
            else:
                _grant(request, matter)
                request.session[SESSION_SUBMITTED] = matter.pk
                return redirect("portal:submitted")
        else:
            status = 422
    else:
        initial: dict[str, Any] = {"handling_kind": guide.handling_kind} if guide and guide.handling_kind else {}
        form = PetitionForm(initial=initial)
    hint = _("PDF, JPEG, PNG, MP3, WAV or TXT, up to %(mb)d MB each.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20}
    return render(request, "portal/submit.html", {"form": form, "guide": guide, "attachment_hint": hint}, status=status)


def _just_submitted(request: HttpRequest) -> Matter:
    pk = request.session.get(SESSION_SUBMITTED)
    matter = Matter.objects.filter(pk=pk).first() if pk else None
    if matter is None:
        raise Http404
    return matter


@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/submitted.html", {"matter": _just_submitted(request)})


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    matter = _just_submitted(request)
    text = render_to_string("portal/receipt.txt", {"matter": matter}, request=request)
    data = render_notice(title=_("Acknowledgement of an online petition"), number="", paragraphs=text.strip().splitlines(),
                         signed_by=matter.intake_unit.name, dated=matter.registered_at)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{matter.query_code}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        rate = settings.PORTAL_TRACK_FAILURES_RATE
        if _limited(request, "portal-track", rate, increment=False):
            form.add_error(None, _("Too many wrong attempts. Please wait a few minutes before trying again."))
            status = 429
        elif form.is_valid():
            matter = selectors.find_matter(form.cleaned_data["code"], form.cleaned_data["phone_last4"])
            if matter is not None:
                _grant(request, matter)
                return redirect("portal:matter", code=matter.query_code)
            _limited(request, "portal-track", rate, increment=True)
            form.add_error(None, _("No matter matches this query code and phone number. Check both and try again."))
            status = 404
        else:
            status = 422
    return render(request, "portal/track.html", {"track": form}, status=status)


def _matter_context(request: HttpRequest, matter: Matter, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    rating = Rating.objects.filter(matter=matter).first()
    return {
        "matter": matter,
        "today": today,
        "steps": selectors.public_timeline(matter),
        "deadlines": selectors.public_deadlines(matter),
        "window": selectors.review_window(matter, today),
        "rating": rating,
        "may_rate": rating is None and matter.state in services.REPLIED_STATES,
        "is_open": matter.state in services.OPEN_STATES,
        "attachments": matter.attachments.order_by("uploaded_at"),
        "supply_form": forms.get("supply_form") or SupplyForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "error": forms.get("error", ""),
    }


@require_GET
def matter_page(request: HttpRequest, code: str) -> HttpResponse:
    matter = _granted(request, code)
    return render(request, "portal/matter.html", _matter_context(request, matter))


def _done(request: HttpRequest, matter: Matter) -> HttpResponse:
    return redirect("portal:matter", code=matter.query_code)


@require_POST
def supply(request: HttpRequest, code: str) -> HttpResponse:
    matter = _granted(request, code)
    form = SupplyForm(request.POST, request.FILES)
    if form.is_valid():
        files = [IncomingFile.from_upload(f) for f in form.cleaned_data["attachments"]]
        try:
            services.supply_material(matter.pk, text=form.cleaned_data["text"], files=files, now=timezone.now())
            return _done(request, matter)
        except DomainError as err:
            form.apply_domain_error(err)
            return render(request, "portal/matter.html", _matter_context(request, matter, supply_form=form, error=err.message), status=err.status)
    return render(request, "portal/matter.html", _matter_context(request, matter, supply_form=form), status=422)


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    matter = _granted(request, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_reply(matter.pk, level=form.cleaned_data["level"], comment=form.cleaned_data["comment"], now=timezone.now())
            return _done(request, matter)
        except DomainError as err:
            return render(request, "portal/matter.html", _matter_context(request, matter, rating_form=form, error=err.message), status=err.status)
    return render(request, "portal/matter.html", _matter_context(request, matter, rating_form=form), status=422)


@require_POST
def review(request: HttpRequest, code: str) -> HttpResponse:
    matter = _granted(request, code)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.ask_for_review(matter.pk, reason=form.cleaned_data.get("reason", ""), now=timezone.now())
        return _done(request, matter)
    except DomainError as err:
        return render(request, "portal/matter.html", _matter_context(request, matter, review_form=form, error=err.message), status=err.status)


@require_GET
def document(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    matter = _granted(request, code)
    doc = IssuedDocument.objects.select_related("issuing_unit", "matter").filter(matter=matter, pk=pk).first()
    if doc is None:
        raise Http404
    return pdf_response(doc)
