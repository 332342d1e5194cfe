"""Forms parse what people typed; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from matters.forms import DomainErrorsMixin
from org.models import Unit

from .models import Call, SuggestionState
from .services import SuggestionData


class SuggestionForm(DomainErrorsMixin, forms.Form):
    """``website`` is a honeypot: hidden from people, filled in by bots."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"required": True, "maxlength": 200}))
    content = forms.CharField(label=_("Your suggestion"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8, "required": True}))
    proposer_name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    proposer_phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    proposer_email = forms.CharField(label=_("Email"), max_length=200, required=False,
                                     widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = forms.CharField(required=False, label="website",
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def to_data(self) -> SuggestionData:
        d = self.cleaned_data
        return SuggestionData(title=d["title"], content=d["content"], proposer_name=d["proposer_name"],
                              proposer_phone=d["proposer_phone"], proposer_email=d["proposer_email"])


class TrackForm(forms.Form):
    code = forms.CharField(max_length=20, label=_("Query code"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "required": True}))


class CallForm(DomainErrorsMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organising_unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none(), required=False)
    opens_on = forms.DateField(label=_("Opens on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organising_unit"].queryset = units  # type: ignore[attr-defined]


class QueueFilter(forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("All calls"))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All states")), *SuggestionState.choices])
    unit = forms.ModelChoiceField(label=_("Evaluating unit"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("All units"))

    def __init__(self, *args: Any, calls: QuerySet[Call], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class AssignForm(DomainErrorsMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Evaluating unit"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("Note to the unit"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class MergeForm(DomainErrorsMixin, forms.Form):
    into = forms.IntegerField(label=_("Number of the suggestion it repeats"), required=False, min_value=1)


class OpinionForm(DomainErrorsMixin, forms.Form):
    opinion = forms.CharField(label=_("Evaluation opinion (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(DomainErrorsMixin, forms.Form):
    reply = forms.CharField(label=_("Answer to the proposer (public)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class UpdateForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(label=_("What was done (public)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
