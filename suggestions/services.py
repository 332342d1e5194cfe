"""Every change to calls and suggestions: validate, lock, change, record the event, tell the proposer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.personal_data import normalise_phone
from matters.services import new_query_code
from org.models import Unit, User
from org.scope import holds_role_over, units_in_scope

from .feedback import tell_proposer
from .models import Call, ImplementationUpdate, Suggestion, SuggestionState
from .selectors import suggestions_visible_to
from .workflow import MOVES, OFFICE, Move, Scope

# --- calls -------------------------------------------------------------------------------------


def create_call(*, actor: User, topic: str, description: str, organising_unit_id: int | None,
                opens_on: date | None, closes_on: date | None, now: datetime) -> Call:
    errors: dict[str, str] = {}
    if not topic.strip():
        errors["topic"] = _("Give the topic.")
    unit = Unit.objects.filter(pk=organising_unit_id or 0).first()
    if unit is None:
        errors["organising_unit"] = _("Choose the organising unit.")
    if opens_on is None:
        errors["opens_on"] = _("Give the first day.")
    if closes_on is None:
        errors["closes_on"] = _("Give the last day.")
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = _("The last day is before the first.")
    if errors:
        raise InvalidInput(_("The call has errors; nothing was saved."), fields=errors)
    assert unit is not None
    if not holds_role_over(actor, unit, OFFICE):
        raise NotAllowed(_("The petition office (registrar or reviewer) over the unit opens calls."))
    with transaction.atomic():
        call = Call.objects.create(topic=topic.strip(), description=description.strip(), organising_unit=unit,
                                   opens_on=opens_on, closes_on=closes_on, created_by=actor, created_at=now)
        record_event("call_create", actor=actor, target=call, at=now,
                     after={"topic": call.topic, "opens_on": opens_on, "closes_on": closes_on, "unit": unit.pk})
    return call


def may_manage_call(user: User, call: Call) -> bool:
    return not call.standing and call.organising_unit is not None and holds_role_over(user, call.organising_unit, OFFICE)


def close_call(call_id: int, *, actor: User, now: datetime) -> Call:
    """Ends a call before its last day; suggestions already sent go on being evaluated."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        if call.standing:
            raise IllegalTransition(_("The standing collection is always open."))
        if not may_manage_call(actor, call):
            raise NotAllowed(_("The petition office that organises the call closes it."))
        if call.closed_at is not None:
            raise IllegalTransition(_("The call is already closed."))
        call.closed_at = now
        call.save(update_fields=["closed_at"])
        record_event("call_close", actor=actor, target=call, at=now)
    return call


# --- submission --------------------------------------------------------------------------------


@dataclass
class SuggestionData:
    title: str
    content: str
    proposer_name: str = ""
    proposer_phone: str = ""
    proposer_email: str = ""


def _validate(data: SuggestionData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give your suggestion a title.")
    elif len(data.title.strip()) > 200:
        errors["title"] = _("At most 200 characters.")
    if len(data.content.strip()) < 10:
        errors["content"] = _("Say what you suggest in at least 10 characters.")
    if data.proposer_phone and not 7 <= len(normalise_phone(data.proposer_phone)) <= 12:
        errors["proposer_phone"] = _("The phone number must have 7 to 12 digits.")
    if data.proposer_email:
        try:
            validate_email(data.proposer_email.strip())
        except ValidationError:
            errors["proposer_email"] = _("This is not an email address.")
    return errors


def _receiving_unit(call: Call) -> Unit | None:
    return call.organising_unit or Unit.objects.filter(parent__isnull=True).order_by("path").first()


def submit_suggestion(call_id: int, data: SuggestionData, *, now: datetime) -> Suggestion:
    """From the public: no account. Only an open call accepts suggestions; the call row is locked
    so that a call being closed takes nothing more."""
    errors = _validate(data)
    if errors:
        raise InvalidInput(_("Nothing was sent yet. Please correct the marked fields."), fields=errors)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                call = Call.objects.select_for_update().filter(pk=call_id).first()
                if call is None or not call.is_open(timezone.localdate(now)):
                    raise IllegalTransition(_("This call is not open for suggestions."))
                unit = _receiving_unit(call)
                if unit is None:
                    raise IllegalTransition(_("No unit receives suggestions yet."))
                suggestion = Suggestion.objects.create(
                    call=call, title=data.title.strip(), content=data.content.strip(), proposer_name=data.proposer_name.strip(),
                    proposer_phone=normalise_phone(data.proposer_phone), proposer_email=data.proposer_email.strip(),
                    query_code=new_query_code(), receiving_unit=unit, received_at=now)
                record_event("suggestion_submit", actor_label="proposer", target=suggestion, at=now,
                             after={"call": call.pk, "state": suggestion.state, "contact": suggestion.has_contact})
                tell_proposer(suggestion, "submit", now=now)
                return suggestion
        except IntegrityError:
            continue  # a query code drawn twice: draw again
    raise IllegalTransition(_("Please try again."))


# --- evaluation --------------------------------------------------------------------------------


def may(user: User, suggestion: Suggestion, action: str) -> bool:
    """Whether the table lets ``user`` take ``action`` on the suggestion as it now stands."""
    move = MOVES[action]
    if suggestion.state not in move.sources:
        return False
    unit = suggestion.receiving_unit if move.scope == Scope.RECEIVING_UNIT else suggestion.evaluating_unit
    return unit is not None and holds_role_over(user, unit, move.roles)


def allowed_actions(user: User, suggestion: Suggestion) -> list[str]:
    return [action for action in MOVES if may(user, suggestion, action)]


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput(message, fields={field: _("Required.")})
    return value.strip()


def _move(pk: int, action: str, *, actor: User, now: datetime, change: Callable[[Suggestion], None], reason: str = "",
          after: dict[str, Any] | None = None) -> Suggestion:
    """Lock, check the table, apply ``change``, record the event and tell the proposer."""
    move: Move = MOVES[action]
    with transaction.atomic():
        suggestion = suggestions_visible_to(actor).select_for_update().get(pk=pk)
        if suggestion.state not in move.sources:
            raise IllegalTransition(_("This cannot be done to a suggestion in its present state."))
        if not may(actor, suggestion, action):
            raise NotAllowed(_("Your role does not allow this here."))
        before = {"state": suggestion.state, "unit": suggestion.evaluating_unit_id}
        change(suggestion)
        if move.target is not None:
            suggestion.state = move.target
        suggestion.save()
        record_event(f"suggestion_{action}", actor=actor, target=suggestion, at=now, before=before, reason=reason,
                     after={"state": suggestion.state, "unit": suggestion.evaluating_unit_id, **(after or {})})
        if move.tells_proposer:
            tell_proposer(suggestion, action, now=now)
    return suggestion


def assign(pk: int, *, actor: User, unit_id: int, note: str = "", now: datetime) -> Suggestion:
    """Route to the unit that evaluates it; the note is for that unit, never for the proposer."""

    def change(s: Suggestion) -> None:
        unit = units_in_scope(actor, OFFICE).filter(pk=unit_id).first()
        if unit is None:
            raise InvalidInput(_("Choose the unit that evaluates it."), fields={"unit": _("Choose a unit in your scope.")})
        s.evaluating_unit = unit

    return _move(pk, "assign", actor=actor, now=now, change=change, reason=note.strip())


def merge(pk: int, *, actor: User, into_id: int, now: datetime) -> Suggestion:
    """A duplicate follows the suggestion it repeats: that one's outcome is the proposer's answer."""

    def change(s: Suggestion) -> None:
        target = suggestions_visible_to(actor).filter(pk=into_id).exclude(pk=s.pk).first()
        if target is None:
            raise InvalidInput(_("Choose the suggestion it repeats."), fields={"into": _("Not a suggestion you can see.")})
        if target.state == SuggestionState.MERGED:
            raise InvalidInput(_("Choose the suggestion it repeats."), fields={"into": _("That one is itself merged.")})
        s.merged_into = target

    return _move(pk, "merge", actor=actor, now=now, change=change, after={"into": into_id})


def evaluate(pk: int, *, actor: User, opinion: str, now: datetime) -> Suggestion:
    text = _required(opinion, "opinion", _("Write the evaluation opinion."))

    def change(s: Suggestion) -> None:
        s.opinion = text

    return _move(pk, "evaluate", actor=actor, now=now, change=change, reason=text)


def decide(pk: int, action: str, *, actor: User, reply: str, now: datetime) -> Suggestion:
    """Adopt, adopt in part, or not: the reply is what the proposer and the public read; for a
    suggestion not adopted it is the reason, and it may not be left out."""
    if action not in ("adopt", "adopt_partly", "decline"):
        raise InvalidInput(_("Unknown decision."), fields={"action": _("Unknown decision.")})
    message = _("Give the reason it is not adopted.") if action == "decline" else _("Write the answer to the proposer.")
    text = _required(reply, "reply", message)

    def change(s: Suggestion) -> None:
        s.reply, s.decided_at = text, now

    return _move(pk, action, actor=actor, now=now, change=change, reason=text)


def _update(action: str, pk: int, *, actor: User, text: str, now: datetime) -> Suggestion:
    body = _required(text, "text", _("Say what was done."))

    def change(s: Suggestion) -> None:
        ImplementationUpdate.objects.create(suggestion=s, text=body, author=actor, at=now)
        if action == "implement":
            s.implemented_at = now

    return _move(pk, action, actor=actor, now=now, change=change, reason=body)


def report(pk: int, *, actor: User, text: str, now: datetime) -> Suggestion:
    return _update("report", pk, actor=actor, text=text, now=now)


def implement(pk: int, *, actor: User, text: str, now: datetime) -> Suggestion:
    """The last update: what was done in the end."""
    return _update("implement", pk, actor=actor, text=text, now=now)
