from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from org.models import User

from .models import IssuedDocument
from .selectors import documents_visible_to
from .services import document_pdf


def pdf_response(doc: IssuedDocument) -> HttpResponse:
    response = HttpResponse(document_pdf(doc, now=timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.matter.query_code}-{doc.kind}.pdf"'
    return response


@login_required
@require_GET
def document_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    doc = documents_visible_to(user).filter(pk=pk).first()
    if doc is None:
        raise Http404
    return pdf_response(doc)
