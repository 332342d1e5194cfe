"""The JSON API for staff (/api/v1/). Thin: parse, call a selector or service, present."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from audit.selectors import events_for
from matters.clocks import ClockContext
from matters.errors import InvalidInput
from matters.models import Matter
from matters.selectors import QueueFilter, SortedRows, get_matter_for, queue, sorted_queue
from matters.services import ACTIONS, register_matter
from org.models import Area

from . import errors
from .actions import ACTIONS_DESCRIPTION, actions_openapi, parse_params, read_json_object
from .auth import TokenAuth, current_user, issue_token
from .presenters import deadline_calc, event_out, matter_item, matter_out
from .schemas import (
    DeadlineCalcOut,
    DeadlineQuery,
    ErrorOut,
    EventOut,
    MatterFilters,
    MatterIn,
    MatterOut,
    MatterPage,
    TokenIn,
    TokenOut,
)

api = NinjaAPI(
    title="Xinfang API",
    version="1",
    docs_url="/docs",
    auth=TokenAuth(),
    description="Staff API of the petition platform. Get a token at `POST /auth/token`, then send "
    "`Authorization: Bearer <token>`. Personal data is always masked here.",
)
errors.install(api)

_E401 = {401: ErrorOut}
_E404 = {401: ErrorOut, 404: ErrorOut}


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut},
    tags=["auth"],
    throttle=[AnonRateThrottle("30/m")],
)
def obtain_token(request: HttpRequest, credentials: TokenIn) -> Status[TokenOut | ErrorOut]:
    token = issue_token(request, credentials.username, credentials.password, now=timezone.now())
    if token is None:
        return Status(401, ErrorOut(detail=_("Wrong username or password, or the account is disabled.")))
    return Status(200, TokenOut(token=token))


@api.post(
    "/matters", response={201: MatterOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}, tags=["matters"]
)
def create_matter(request: HttpRequest, payload: MatterIn) -> Status[MatterOut]:
    """Register a petition (登记); starts the 15-day acceptance clock."""
    user, now = current_user(request), timezone.now()
    if payload.area_id is not None and not Area.objects.filter(pk=payload.area_id).exists():
        raise InvalidInput(
            _("The registration has errors; nothing was saved."), fields={"area_id": _("Unknown area.")}
        )
    matter = register_matter(payload.to_data(), actor=user, now=now)
    return Status(201, matter_out(matter, user, timezone.localdate(now)))


@api.get("/matters", response={200: MatterPage, **_E401}, tags=["matters"])
def list_matters(request: HttpRequest, filters: Query[MatterFilters]) -> MatterPage:
    """Matters in your scope, most urgent statutory deadline first; petitioner data masked."""
    user, today = current_user(request), timezone.localdate()
    f = QueueFilter(
        state=filters.state or "",
        due_state=filters.due_state or "",
        channel=filters.channel or "",
        category_id=filters.category_id,
        area_id=filters.area_id,
        unit_id=filters.unit_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q,
    )
    rows = SortedRows(sorted_queue(queue(user, f, today)).select_related("petitioner"))
    page = rows[filters.offset : filters.offset + filters.limit]
    return MatterPage(
        count=rows.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[matter_item(m, today) for m in page],
    )


@api.get("/matters/{matter_id}", response={200: MatterOut, **_E404}, tags=["matters"])
def get_matter(request: HttpRequest, matter_id: int) -> MatterOut:
    user = current_user(request)
    return matter_out(get_matter_for(user, matter_id), user, timezone.localdate())


@api.get("/matters/{matter_id}/events", response={200: list[EventOut], **_E404}, tags=["matters"])
def matter_events(request: HttpRequest, matter_id: int) -> list[EventOut]:
    """The matter's entries in the event log, oldest first."""
    matter = get_matter_for(current_user(request), matter_id)
    return [event_out(e) for e in events_for("matter", matter.pk)]


@api.post(
    "/matters/{matter_id}/actions/{action}",
    response={200: MatterOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    tags=["matters"],
    summary="Take a lifecycle action",
    description=ACTIONS_DESCRIPTION,
    openapi_extra=actions_openapi(),
)
def take_action(request: HttpRequest, matter_id: int, action: str) -> MatterOut:
    # The body is read here, not declared, so the docs can show it as one of the per-action objects.
    if action not in ACTIONS:
        raise HttpError(
            404,
            _("Unknown action “%(action)s”; known: %(known)s.")
            % {"action": action, "known": ", ".join(ACTIONS)},
        )
    user, now = current_user(request), timezone.now()
    kwargs = parse_params(action, read_json_object(request))
    matter: Matter = ACTIONS[action](matter_id, actor=user, now=now, **kwargs)
    return matter_out(matter, user, timezone.localdate(now))


@api.get(
    "/calendar/deadline", response={200: DeadlineCalcOut, 401: ErrorOut, 422: ErrorOut}, tags=["calendar"]
)
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlineCalcOut:
    """The last day of a period, by the official calendar, the admin overrides and the rest-day policy."""
    ctx = ClockContext()
    return deadline_calc(query.start, query.days, query.kind, ctx.calendar, ctx.policy.rest_day_rollover)
