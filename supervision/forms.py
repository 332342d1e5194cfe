from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from matters.forms import DomainErrorsMixin

from .models import OrderKind, Recommendation


class IssueOrderForm(DomainErrorsMixin, forms.Form):
    kind = forms.ChoiceField(choices=OrderKind.choices, label=gettext_lazy("Kind"))
    requirement = forms.CharField(label=gettext_lazy("Requirement"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    suggestion = forms.CharField(label=gettext_lazy("Suggestion"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due = forms.DateField(label=gettext_lazy("Answer due"), widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(DomainErrorsMixin, forms.Form):
    answer = forms.CharField(label=gettext_lazy("What your unit did"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence = forms.CharField(label=gettext_lazy("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is returned"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due = forms.DateField(label=gettext_lazy("New due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AcceptForm(DomainErrorsMixin, forms.Form):
    result = forms.CharField(label=gettext_lazy("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    feedback = forms.CharField(label=gettext_lazy("Feedback"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    recommendation = forms.ChoiceField(choices=Recommendation.choices, required=False, label=gettext_lazy("Recommendation"))
