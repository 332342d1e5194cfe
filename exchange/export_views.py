"""Downloads: the matters the user can see (with the queue's filters) as CSV, Excel or JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.services import record_event
from matters import selectors
from matters.forms import QueueFilterForm
from org.models import User

from .export import FORMATS, MATTER_COLUMNS, csv_chunks, json_chunks, matter_rows, xlsx_file


@login_required
@require_GET
def export_matters(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    form = QueueFilterForm(request.GET or None, user=user)
    qs = selectors.queue(user, form.to_filter(), timezone.localdate())
    with transaction.atomic():
        record_event("export_matters", actor=user, at=timezone.now(),
                     after={"format": fmt, "rows": qs.count(), "filter": request.GET.urlencode()})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"matters-{stamp}.{fmt}"
    rows = matter_rows(qs)
    response: HttpResponse
    if fmt == "xlsx":
        response = FileResponse(xlsx_file("信访事项", MATTER_COLUMNS, rows), content_type=FORMATS[fmt])  # type: ignore[assignment]
    else:
        chunks = csv_chunks(MATTER_COLUMNS, rows) if fmt == "csv" else json_chunks(MATTER_COLUMNS, rows)
        response = StreamingHttpResponse(chunks, content_type=FORMATS[fmt])  # type: ignore[assignment]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
