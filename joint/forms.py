"""Forms parse input only; the services decide. Domain field errors land next to their fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from matters.forms import Choices, DomainErrorsMixin, unit_choices
from org.models import Unit


def _text(label: Any, rows: int = 3) -> forms.CharField:
    # Not required here: the service says what is missing, in its own words, next to the field.
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


DUE_LABEL = gettext_lazy("Due")


def _due(label: Any = DUE_LABEL) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class JointForm(DomainErrorsMixin, forms.Form):
    pass


def _set(field: forms.Field, choices: Choices) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class AssignForm(JointForm):
    unit_id = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Cooperating unit"))
    task = _text(gettext_lazy("Task"))
    due = _due()

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self.fields["unit_id"], [("", "—"), *unit_choices(units)])


class ConsolidateForm(JointForm):
    text = _text(gettext_lazy("Consolidated answer"), rows=5)


class AnswerForm(JointForm):
    answer = _text(gettext_lazy("What your unit found and did"), rows=5)


class ReturnForm(JointForm):
    reason = _text(gettext_lazy("Why it is returned"), rows=2)


class ConveneForm(JointForm):
    unit_id = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Meeting of"))
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200)
    day = _due(gettext_lazy("Date"))
    place = forms.CharField(label=gettext_lazy("Place"), required=False, max_length=200)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self.fields["unit_id"], [("", "—"), *unit_choices(units)])


class AgendaForm(JointForm):
    code = forms.CharField(label=gettext_lazy("Query code of the matter"), required=False, max_length=20)
    note = _text(gettext_lazy("What the meeting is to settle"), rows=2)
    error_fields = {"matter_id": "code"}


class HoldForm(JointForm):
    minutes = _text(gettext_lazy("Meeting minutes"), rows=5)


class DecideForm(JointForm):
    decision = _text(gettext_lazy("Meeting decision"), rows=3)


class ItemAssignForm(JointForm):
    unit_ids = forms.TypedMultipleChoiceField(coerce=int, required=False, label=gettext_lazy("Units"),
                                              widget=forms.SelectMultiple(attrs={"size": 6}))
    task = _text(gettext_lazy("Task"), rows=2)
    due = _due()
    error_fields = {"unit_id": "unit_ids"}

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self.fields["unit_ids"], unit_choices(units))
