from __future__ import annotations

from typing import Any

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


class AssignLeaderForm(DomainErrorsMixin, forms.Form):
    leader_id = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Responsible leader"))
    member_ids = forms.TypedMultipleChoiceField(coerce=int, required=False, label=gettext_lazy("Task force"),
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    plan = forms.CharField(label=gettext_lazy("Plan (one case, one plan)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    to_unit_id = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Also assign to unit (dual assignment)"))

    def __init__(self, *args: Any, leaders: list[Any], members: list[Any], units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("leader_id", [_person(u) for u in leaders]), ("member_ids", [_person(u) for u in members]),
                              ("to_unit_id", [("", "—"), *units])):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


def _person(user: Any) -> tuple[int, str]:
    return user.pk, f"{user.get_full_name() or user.username} · {user.unit.name if user.unit else ''}"


class ProgressForm(DomainErrorsMixin, forms.Form):
    text = forms.CharField(label=gettext_lazy("Progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SignOffForm(DomainErrorsMixin, forms.Form):
    note = forms.CharField(label=gettext_lazy("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
