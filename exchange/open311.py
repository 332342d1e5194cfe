"""Open311 GeoReport v2 (JSON) at /open311/v2/: services are the taxonomy's leaf categories;
a request created here is an ordinary web matter (the portal's path), and only such requests are
ever listed here, never accusations, with free text masked.

Spec: http://wiki.open311.org/GeoReport_v2/ (service list, service definition, POST request,
GET request by id, GET requests). Errors are the spec's ``[{"code": ..., "description": ...}]``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Form, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from audit.models import Event
from matters.errors import DomainError
from matters.lifecycle import OPEN_STATES
from matters.models import Category, HandlingKind, Matter
from matters.personal_data import lookup_hash, mask_text
from matters.services import PetitionerData, RegistrationData
from portal.limits import limited
from portal.services import submit_petition

from .importer import IMPORTED_CATEGORIES
from .models import Open311Client, Open311Request

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
SERVICE_NOTICE = "您的诉求已登记为信访事项，15日内告知是否受理；凭查询码和手机号后四位可在网上查询进度。"

open311 = NinjaAPI(title="Open311 GeoReport v2", version="v2", urls_namespace="open311", docs_url="/docs",
                   description="Service requests in the Open311 GeoReport v2 style, JSON only.")


def _errors(request: HttpRequest, code: int, description: str) -> HttpResponse:
    return JsonResponse([{"code": code, "description": description}], status=code, safe=False)


@open311.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _errors(request, exc.status_code, str(exc))


@open311.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    missing = ", ".join(str(e["loc"][-1]) for e in exc.errors)
    return _errors(request, 400, f"invalid or missing: {missing}")


@open311.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _errors(request, 400, " ".join([exc.message, *[f"{k}: {v}" for k, v in exc.fields.items()]]))


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class DefinitionOut(Schema):
    service_code: str
    attributes: list[dict[str, object]]


class CreatedOut(Schema):
    service_request_id: str
    service_notice: str
    account_id: str | None


class RequestIn(Schema):
    api_key: str
    service_code: str
    jurisdiction_id: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""


class RequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str | None
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str
    lat: float | None
    long: float | None
    media_url: str | None


def _services() -> QuerySet[Category]:
    leaves = Category.objects.filter(children__isnull=True).exclude(path__startswith=f"{IMPORTED_CATEGORIES}/")
    return leaves.exclude(path=IMPORTED_CATEGORIES).order_by("path")


def _service(c: Category) -> ServiceOut:
    levels = c.path.split("/")
    return ServiceOut(service_code=str(c.pk), service_name=c.name, description=c.path, metadata=False, type="realtime",
                      keywords=",".join(levels), group=levels[0])


def _find_service(code: str) -> Category:
    service = _services().filter(pk=int(code)).first() if code.isascii() and code.isdigit() else None
    if service is None:
        raise HttpError(404, f"unknown service_code {code}")
    return service


def _throttle(request: HttpRequest, group: str, rate: str, key: str | None = None) -> None:
    # Reads are counted per connection; requests per client key, so that a partner app serving
    # many citizens from one address gets its own allowance, and a leaked key cannot flood intake.
    if limited(request, group, rate, increment=True, key=(lambda _g, _r: key) if key else "ip"):
        raise HttpError(429, "too many requests; wait a minute and try again")


def _reading(request: HttpRequest) -> None:
    _throttle(request, "open311-read", settings.OPEN311_READ_RATE)


@open311.get("/services.json", response=list[ServiceOut], summary="Service list")
def service_list(request: HttpRequest, jurisdiction_id: str = "") -> list[ServiceOut]:
    _reading(request)
    return [_service(c) for c in _services()]


@open311.get("/services/{service_code}.json", response=DefinitionOut, summary="Service definition")
def service_definition(request: HttpRequest, service_code: str, jurisdiction_id: str = "") -> DefinitionOut:
    _reading(request)
    # No service has extra attributes (metadata is false for all); the definition says so.
    return DefinitionOut(service_code=str(_find_service(service_code).pk), attributes=[])


@open311.post("/requests.json", response={201: list[CreatedOut]}, summary="Create a service request")
def create_request(request: HttpRequest, data: Form[RequestIn]) -> Status:
    client = Open311Client.objects.filter(key_hash=lookup_hash(data.api_key), active=True).first()
    if client is None:
        raise HttpError(403, "invalid api_key")
    _throttle(request, "open311-create", settings.OPEN311_CREATE_RATE, key=f"client:{client.pk}")
    service = _find_service(data.service_code)
    if data.lat is None and not data.address_string.strip():
        raise HttpError(400, "a location is required: lat and long, or address_string")
    if (data.lat is None) != (data.long is None) or not (-90 <= (data.lat or 0) <= 90 and -180 <= (data.long or 0) <= 180):
        raise HttpError(400, "lat and long must both be given, as WGS84 degrees")
    if not data.description.strip():
        raise HttpError(400, "description is required: say what the request is about")
    name = f"{data.last_name.strip()}{data.first_name.strip()}"
    if not name:
        raise HttpError(400, _("first_name or last_name is required: petitions are made in one's own name"))
    now = timezone.now()
    registration = RegistrationData(
        channel="web", title=data.description.strip()[:60], content=data.description.strip(),
        petitioner=PetitionerData(name=name, phone=data.phone, email=data.email),
        category_id=service.pk, address=data.address_string.strip()[:200])
    with transaction.atomic():
        matter = submit_petition(registration, now=now)
        if data.lat is not None:
            Matter.objects.filter(pk=matter.pk).update(latitude=data.lat, longitude=data.long)
        Open311Request.objects.create(matter=matter, client=client, service_code=str(service.pk), device_id=data.device_id[:100],
                                      account_id=data.account_id[:100], media_url=data.media_url[:500])
    return Status(201, [CreatedOut(service_request_id=matter.query_code, service_notice=SERVICE_NOTICE,
                                   account_id=data.account_id or None)])


def _requests() -> QuerySet[Matter]:
    last = Event.objects.filter(target_type="matter", target_id=OuterRef("pk")).order_by("-seq").values("at")[:1]
    return (Matter.objects.filter(open311__isnull=False).exclude(handling_kind=HandlingKind.ACCUSATION)
            .select_related("category", "handling_unit", "open311").annotate(updated=Subquery(last)))


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _out(m: Matter) -> RequestOut:
    is_open = m.state in OPEN_STATES
    expected = None
    if m.statutory_due and is_open:
        expected = _iso(timezone.make_aware(datetime.combine(m.statutory_due, time(23, 59, 59))))
    return RequestOut(
        service_request_id=m.query_code, status="open" if is_open else "closed",
        status_notes=mask_text(m.reply_text or m.decision_text) or None, service_name=m.category.name if m.category else "",
        service_code=m.open311.service_code, description=mask_text(m.content), agency_responsible=m.handling_unit.name,
        service_notice=SERVICE_NOTICE, requested_datetime=_iso(m.registered_at) or "",
        updated_datetime=_iso(getattr(m, "updated", None)), expected_datetime=expected,
        address=mask_text(m.address), lat=m.latitude, long=m.longitude, media_url=m.open311.media_url or None)


@open311.get("/requests/{service_request_id}.json", response=list[RequestOut], summary="Get a service request")
def get_request(request: HttpRequest, service_request_id: str, jurisdiction_id: str = "") -> list[RequestOut]:
    _reading(request)
    m = _requests().filter(query_code=service_request_id.replace("-", "").upper()).first()
    if m is None:
        raise HttpError(404, f"no service request {service_request_id}")
    return [_out(m)]


def _when(value: str, name: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
    if parsed is None:
        raise HttpError(400, f"{name} is not a W3C date and time, e.g. 2026-03-01T00:00:00+08:00")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@open311.get("/requests.json", response=list[RequestOut], summary="Get service requests")
def list_requests(request: HttpRequest, service_request_id: str = "", service_code: str = "", start_date: str = "",
                  end_date: str = "", status: str = "", jurisdiction_id: str = "") -> list[RequestOut]:
    _reading(request)
    qs = _requests()
    if service_request_id:
        # Other parameters are ignored when ids are given (spec).
        codes = [c.strip().replace("-", "").upper() for c in service_request_id.split(",") if c.strip()]
        return [_out(m) for m in qs.filter(query_code__in=codes).order_by("-registered_at")[:MAX_RESULTS]]
    end = _when(end_date, "end_date") or timezone.now()
    start = _when(start_date, "start_date") or end - timedelta(days=DEFAULT_DAYS)
    qs = qs.filter(registered_at__gte=start, registered_at__lte=end)
    if service_code:
        qs = qs.filter(open311__service_code__in=[c.strip() for c in service_code.split(",")])
    statuses = {s.strip() for s in status.split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise HttpError(400, "status is open or closed")
    if statuses == {"open"}:
        qs = qs.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        qs = qs.exclude(state__in=OPEN_STATES)
    return [_out(m) for m in qs.order_by("-registered_at")[:MAX_RESULTS]]
