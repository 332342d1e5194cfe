"""Reading calls and suggestions. Staff see the suggestions received by or assigned to units in
their scope; the public sees open calls and adopted suggestions, never a proposer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from org.models import User
from org.scope import unit_ids_in_scope

from .models import Call, ImplementationUpdate, Suggestion, SuggestionState
from .workflow import PUBLIC_STATES


def suggestions_visible_to(user: User) -> QuerySet[Suggestion]:
    units = unit_ids_in_scope(user)
    if units is None:
        return Suggestion.objects.all()
    return Suggestion.objects.filter(Q(receiving_unit__in=units) | Q(evaluating_unit__in=units))


def calls_visible_to(user: User) -> QuerySet[Call]:
    """Calls organised in the user's scope, and the standing collection everyone shares."""
    units = unit_ids_in_scope(user)
    calls = Call.objects.select_related("organising_unit")
    return calls if units is None else calls.filter(Q(standing=True) | Q(organising_unit__in=units))


def counts_by_call_and_state(user: User) -> dict[int, dict[str, int]]:
    rows = suggestions_visible_to(user).values("call_id", "state").annotate(n=Count("pk"))
    counts: dict[int, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["call_id"], {})[r["state"]] = r["n"]
    return counts


def standing_call() -> Call:
    return Call.objects.get(standing=True)


def open_calls(today: date) -> list[Call]:
    candidates = Call.objects.filter(Q(standing=True) | Q(opens_on__lte=today, closes_on__gte=today), closed_at__isnull=True)
    return list(candidates.order_by("-standing", "closes_on", "pk"))


def find_by_code(code: str) -> Suggestion | None:
    cleaned = code.replace("-", "").replace(" ", "").upper()
    return Suggestion.objects.select_related("call", "merged_into").filter(query_code=cleaned).first()


def adopted_publicly(call_id: int | None = None) -> QuerySet[Suggestion]:
    qs = Suggestion.objects.filter(state__in=PUBLIC_STATES).select_related("call", "evaluating_unit")
    if call_id is not None:
        qs = qs.filter(call_id=call_id)
    return qs.prefetch_related(Prefetch("updates", queryset=ImplementationUpdate.objects.order_by("at", "pk"))).order_by("-decided_at", "-pk")


@dataclass(frozen=True)
class CallRow:
    call: Call
    counts: list[tuple[str, str, int]]  # (state, label, number) in the order of the states
    total: int


def call_rows(user: User) -> list[CallRow]:
    """Each call the user sees with its suggestions counted per state: the calls page's table."""
    counts = counts_by_call_and_state(user)
    rows = []
    for call in calls_visible_to(user):
        per_state = counts.get(call.pk, {})
        rows.append(CallRow(call, [(v, str(label), per_state.get(v, 0)) for v, label in SuggestionState.choices],
                            sum(per_state.values())))
    return rows
