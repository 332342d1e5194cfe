"""Import page (upload, dry run, import with progress), runs, mappings, and exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matters.errors import DomainError, InvalidInput
from org.models import User
from xinfang.web import request_user as _user

from . import services
from .mapping import MULTI, SINGLE, all_mapping_names, find_mapping
from .models import ImportMode, ImportRun, ImportStatus
from .readers import ENCODINGS, FileRefused, max_import_bytes, read_table

PROBLEMS_PER_PAGE = 100



def _importer(request: HttpRequest) -> User:
    user = _user(request)
    if not services.may_import(user):
        raise Http404
    return user


def _choices(request: HttpRequest) -> dict[str, object]:
    return {"mappings": all_mapping_names(), "modes": ImportMode.choices, "encodings": ENCODINGS,
            "runs": ImportRun.objects.filter(actor=_user(request))[:10]}


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = _importer(request)
    if request.method == "GET":
        return render(request, "exchange/import.html", _choices(request))
    upload = request.FILES.get("file")
    form = {k: request.POST.get(k, "") for k in ("mapping", "mode", "encoding")}
    if upload is None:
        return render(request, "exchange/import.html", {**_choices(request), "form": form,
                                                        "errors": {"file": _("Choose a file.")}}, status=422)
    data = upload.read()
    try:
        run = services.import_file(data, upload.name or "upload", form["mapping"], actor=user, now=timezone.now(),
                                   mode=form["mode"] or ImportMode.ALL_OR_NOTHING, dry_run=True,
                                   encoding=form["encoding"] or "auto")
    except DomainError as err:
        return render(request, "exchange/import.html", {**_choices(request), "form": form, "errors": err.fields,
                                                        "error": err.message}, status=422)
    if len(data) <= max_import_bytes():  # kept for the import, or for making a mapping from its header
        services.keep_upload(data)
    return redirect("exchange_run", run.pk)


def _own_run(request: HttpRequest, pk: int) -> ImportRun:
    user = _importer(request)
    return get_object_or_404(ImportRun, pk=pk, actor=user)


@login_required
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    page = Paginator(run.problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    done, total = services.progress_of(run)
    return render(request, "exchange/run.html", {
        "run": run, "page": page, "done": done, "total": total, "encodings": ENCODINGS,
        "warnings": sum(1 for p in run.problems if p.get("warning")),
        "can_import": run.status == ImportStatus.CHECKED and not run.file_problem,
        "mode_label": ImportMode(run.mode).label})


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = _own_run(request, pk)
    done, total = services.progress_of(run)
    return render(request, "exchange/_progress.html", {"run": run, "done": done, "total": total})


@login_required
@require_POST
def run_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the file a dry run checked, in the background."""
    checked = _own_run(request, pk)
    try:
        run = services.start_import(checked.sha256, checked.filename, checked.mapping_name, actor=_user(request),
                                    mode=request.POST.get("mode", checked.mode), encoding=request.POST.get("encoding", "auto"),
                                    now=timezone.now())
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("exchange_run", checked.pk)
    return redirect("exchange_run", run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def mapping_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a mapping for the file a run checked: its header on one side, the matter's fields on the other."""
    run = _own_run(request, pk)
    try:
        table = read_table(services.stored_path(run.sha256).read_bytes(), run.filename)
    except (FileRefused, OSError):
        messages.error(request, _("The file of this run is not kept; upload it again."))
        return redirect("exchange_import")
    base = find_mapping(run.mapping_name)
    errors: dict[str, str] = {}
    if request.method == "POST":
        spec = {**base.to_spec(), "name": request.POST.get("name", "").strip(), "label": request.POST.get("label", "").strip(),
                "source": request.POST.get("source", "").strip() or request.POST.get("name", "").strip(),
                "columns": _posted_columns(request)}
        formats = [f.strip() for f in request.POST.get("date_formats", "").splitlines() if f.strip()]
        spec["date_formats"] = formats or base.date_formats
        try:
            saved = services.save_mapping(spec, actor=_user(request), now=timezone.now())
        except InvalidInput as err:
            errors = err.fields
        else:
            messages.success(request, _("Mapping %(name)s saved; check the file with it.") % {"name": saved.name})
            return redirect("exchange_import")
    header = table.header
    targets = [(t, base.column(t), False) for t in SINGLE] + [(t, base.column_list(t), True) for t in MULTI]
    return render(request, "exchange/mapping.html", {"run": run, "header": header, "targets": targets, "base": base,
                                                     "errors": errors, "levels": range(4)}, status=422 if errors else 200)


def _posted_columns(request: HttpRequest) -> dict[str, str | list[str]]:
    columns: dict[str, str | list[str]] = {t: request.POST.get(t, "") for t in SINGLE if request.POST.get(t)}
    for t in MULTI:
        chosen = [c for c in request.POST.getlist(t) if c]
        if chosen:
            columns[t] = chosen
    return columns
