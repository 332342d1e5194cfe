"""Errors → HTTP: one JSON shape, ``{"detail": message, "fields": {path: problem}}``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from matters.errors import DomainError
from matters.models import Matter

# Where ninja puts a parameter: ("body", <param name>, ...field path) or ("query", <field>, ...).
_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


def _path(loc: Sequence[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "__all__"


def fields_from_errors(errors: Iterable[Mapping[str, Any]], *, strip: int | None = None) -> dict[str, str]:
    """pydantic/ninja error list → {"petitioner.name": "Field required", "attachments[0].data_base64": ...}.

    ``strip`` drops that many leading loc parts; by default ninja's location prefix is dropped
    ("body" and the parameter name, or "query").
    """
    fields: dict[str, str] = {}
    for err in errors:
        loc = list(err.get("loc", ()))
        if strip is not None:
            loc = loc[strip:]
        elif loc and loc[0] in _LOCATIONS:
            loc = loc[2:] if loc[0] in {"body", "form"} and len(loc) > 2 else loc[1:]
        msg = str(err.get("msg", "invalid"))
        fields.setdefault(_path(loc), msg)
    return fields


def install(api: NinjaAPI) -> None:
    # ninja types a handler's argument as "the exception or its class"; it always passes an instance.
    def domain_error(request: HttpRequest, exc: DomainError | type[DomainError]) -> HttpResponse:
        assert isinstance(exc, DomainError)
        return api.create_response(request, {"detail": exc.message, "fields": exc.fields}, status=exc.status)

    def matter_missing(
        request: HttpRequest, exc: Matter.DoesNotExist | type[Matter.DoesNotExist]
    ) -> HttpResponse:
        # Out of scope and missing look the same: existence is not disclosed.
        return api.create_response(request, {"detail": _("No such matter."), "fields": {}}, status=404)

    def validation_error(
        request: HttpRequest, exc: NinjaValidationError | type[NinjaValidationError]
    ) -> HttpResponse:
        assert isinstance(exc, NinjaValidationError)
        return api.create_response(
            request,
            {"detail": _("The request has errors."), "fields": fields_from_errors(exc.errors)},
            status=422,
        )

    def too_big(request: HttpRequest, exc: RequestDataTooBig | type[RequestDataTooBig]) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("The request body is too large."), "fields": {}}, status=413
        )

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(Matter.DoesNotExist, matter_missing)
    api.add_exception_handler(NinjaValidationError, validation_error)
    api.add_exception_handler(RequestDataTooBig, too_big)
