"""Portal forms: they parse; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from matters.forms import DomainErrorsMixin, MultipleFileField, RegistrationForm

from .models import Rating


class PetitionForm(RegistrationForm):
    """网上信访. ``website`` is a honeypot: hidden from people, filled in by bots."""

    website = forms.CharField(required=False, label="website")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=None, **kwargs)
        self.fields["petitioner_phone"].widget.attrs["required"] = True
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(forms.Form):
    code = forms.CharField(max_length=20, label=gettext_lazy("Query code"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "required": True}))
    phone_last4 = forms.CharField(max_length=4, min_length=4, label=gettext_lazy("Last four digits of your phone"),
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "required": True,
                                                                "pattern": "[0-9]{4}"}))


class SupplyForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(required=False, label=gettext_lazy("What you want to add"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(required=False, label=gettext_lazy("Attachments"))


class RatingForm(DomainErrorsMixin, forms.Form):
    level = forms.ChoiceField(choices=Rating.Level.choices, widget=forms.RadioSelect, label=gettext_lazy("Your judgement of the reply"))
    comment = forms.CharField(required=False, max_length=1000, label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, label=gettext_lazy("Why you ask (optional)"),
                             widget=forms.Textarea(attrs={"rows": 3}))
