"""Forms parse input only; the services decide what is valid and name each field's problem."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matters.forms import DomainErrorsMixin

from .models import HearingPurpose, PoolKind, Session


def _text(label: Any, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class MemberForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Pool"), choices=PoolKind.choices)
    owner = forms.TypedChoiceField(label=_("Pool of"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    organisation = forms.CharField(label=_("Works at"), required=False, max_length=100)
    specialties = forms.CharField(label=_("Specialties"), required=False, max_length=300,
                                  help_text=_("Separate them with commas, e.g. 住房, 拆迁"))
    contact = forms.CharField(label=_("Contact"), required=False, max_length=100)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class UnavailabilityForm(DomainErrorsMixin, forms.Form):
    start = _date(_("From"))
    end = _date(_("Until"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ConflictForm(DomainErrorsMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit (with its subtree)"), coerce=int, required=False, empty_value=None)
    matter = forms.CharField(label=_("Or one matter: query code"), required=False, max_length=20)
    note = forms.CharField(label=_("What the conflict is"), required=False, max_length=200)


class ScheduleForm(DomainErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=HearingPurpose.choices)
    scheduled_for = forms.DateTimeField(label=_("Date and time"), required=False,
                                        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)


class DrawForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Pool"), choices=PoolKind.choices)
    size = forms.IntegerField(label=_("Members to draw"), initial=3, required=False)
    specialty = forms.CharField(label=_("Specialty (optional)"), required=False, max_length=50)


class RecuseForm(DomainErrorsMixin, forms.Form):
    seat = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for withdrawal"), required=False, max_length=500)


class NoticeForm(DomainErrorsMixin, forms.Form):
    addressee = forms.ChoiceField(label=_("Addressed to"))
    text = _text(_("Text of the notice"), 5)


class MinutesForm(DomainErrorsMixin, forms.Form):
    text = _text(_("Minutes"), 8)


class OpinionForm(DomainErrorsMixin, forms.Form):
    text = _text(_("Opinion of the panel"), 6)


class CancelForm(DomainErrorsMixin, forms.Form):
    reason = _text(_("Why it is cancelled"), 2)


class CloseForm(DomainErrorsMixin, forms.Form):
    pass


class ShiftForm(DomainErrorsMixin, forms.Form):
    lawyer = forms.TypedChoiceField(label=_("Lawyer"), coerce=int, required=False, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Reception of"), coerce=int, required=False, empty_value=None)
    day = _date(_("Day"))
    session = forms.ChoiceField(label=_("Session"), choices=Session.choices)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)


class ConsultationForm(DomainErrorsMixin, forms.Form):
    lawyer = forms.TypedChoiceField(label=_("Lawyer"), coerce=int, required=False, empty_value=None)
    consulted_on = _date(_("Date"))
    summary = _text(_("What was asked"), 3)
    advice = _text(_("Advice given"), 3)
