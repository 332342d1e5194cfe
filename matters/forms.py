"""Forms of the staff workspace. They only parse and render: every rule lives in the services,
whose ``InvalidInput.fields`` are mapped back onto the form fields here."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deadlines.periods import DueState
from org.models import CONFIDENTIAL_UNIT_KINDS, Area, Role, Unit, User
from org.scope import holds_role_over, units_in_scope

from . import selectors
from .errors import DomainError
from .lifecycle import State
from .models import MAX_REPRESENTATIVES, Category, Channel, HandlingKind, Matter, PetitionerKind
from .services import IncomingFile, PetitionerData, RegistrationData
from .widgets import PlainSelect

Choices = list[tuple[Any, Any]]


# --- choices ---------------------------------------------------------------------------------


def _indent(level: int) -> str:
    return "\u3000" * max(level, 0)


def unit_choices(units: Iterable[Unit]) -> Choices:
    """Units in tree order, indented by depth."""
    rows = sorted(units, key=lambda u: u.path)
    if not rows:
        return []
    top = min(u.path.count("/") for u in rows)
    return [(u.pk, _indent(u.path.count("/") - top) + u.name) for u in rows]


def area_choices() -> Choices:
    areas = list(Area.objects.only("pk", "name", "code", "parent_id").order_by("code"))
    parent = {a.pk: a.parent_id for a in areas}

    def depth(pk: int | None) -> int:
        d = 0
        while pk is not None and parent.get(pk) is not None and d < 10:
            pk, d = parent[pk], d + 1
        return d

    return [(a.pk, _indent(depth(a.pk)) + a.name) for a in areas]


def _category_rows() -> list[tuple[int, str, int | None]]:
    return list(Category.objects.order_by("path").values_list("pk", "path", "parent_id"))


def leaf_category_choices() -> Choices:
    """Categories with no children, grouped by their top level: 城乡建设 › 安全生产 › 事故处理."""
    rows = _category_rows()
    parents = {p for _pk, _path, p in rows if p is not None}
    groups: dict[str, list[tuple[int, str]]] = {}
    for pk, path, _parent in rows:
        if pk in parents:
            continue
        top, _sep, rest = path.partition("/")
        groups.setdefault(top, []).append((pk, rest.replace("/", " › ") or top))
    return list(groups.items())


def all_category_choices() -> Choices:
    """Every node, indented by level, for filtering by a whole branch."""
    return [(pk, _indent(path.count("/")) + path.rsplit("/", 1)[-1]) for pk, path, _p in _category_rows()]


def _blank(label: str | Any = "—") -> Choices:
    return [("", label)]


def _id_choice(label: Any) -> forms.TypedChoiceField:
    """An optional choice of a category, area or unit by id."""
    return forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=label, widget=PlainSelect)


def _set_choices(form: forms.BaseForm, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# --- mapping domain errors onto a form ---------------------------------------------------------


class DomainErrorsMixin:
    """Puts a service's ``fields`` errors next to the matching form fields."""

    # service field key → form field name, where they differ
    error_fields: dict[str, str] = {}

    def apply_domain_error(self, err: DomainError) -> None:
        """Field errors go next to their fields; the error's own message is the caller's banner."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        for key, message in err.fields.items():
            name = self.error_fields.get(key) or re.sub(r"\[\d+\]$", "", key).replace(".", "_")
            form.add_error(name if name in form.fields else None, message)


# --- queue filter ------------------------------------------------------------------------------

ALL_STATES = "all"


def due_state_choices() -> Choices:
    return [
        (DueState.OVERDUE.value, gettext_lazy("Overdue")),
        (DueState.DUE_SOON.value, gettext_lazy("Due soon")),
        (DueState.ON_TIME.value, gettext_lazy("On time")),
        (DueState.PAUSED.value, gettext_lazy("Clock paused")),
    ]


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=gettext_lazy("Search"))
    state = forms.ChoiceField(required=False, label=gettext_lazy("State"), widget=PlainSelect)
    due_state = forms.ChoiceField(required=False, label=gettext_lazy("Deadline"), widget=PlainSelect)
    channel = forms.ChoiceField(required=False, label=gettext_lazy("Channel"), widget=PlainSelect)
    category = _id_choice(gettext_lazy("Category"))
    area = _id_choice(gettext_lazy("Area"))
    unit = _id_choice(gettext_lazy("Handling unit"))
    date_from = forms.DateField(
        required=False, label=gettext_lazy("Registered from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=gettext_lazy("Registered until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["q"].widget.attrs.update({"placeholder": _("Title, content or query code"), "type": "search"})
        _set_choices(
            self, "state", [("", _("All open")), (ALL_STATES, _("All, including finished")), *State.choices]
        )
        _set_choices(self, "due_state", _blank(_("Any")) + due_state_choices())
        _set_choices(self, "channel", _blank(_("Any")) + list(Channel.choices))
        _set_choices(self, "category", _blank(_("Any")) + all_category_choices())
        _set_choices(self, "area", _blank(_("Any")) + area_choices())
        _set_choices(self, "unit", _blank(_("Any")) + unit_choices(units_in_scope(user)))

    def to_filter(self) -> selectors.QueueFilter:
        d = self.cleaned_data if self.is_valid() else {}
        state = d.get("state") or ""
        return selectors.QueueFilter(
            state="" if state == ALL_STATES else state,
            open_only=state == "",
            due_state=d.get("due_state") or "",
            channel=d.get("channel") or "",
            category_id=d.get("category"),
            area_id=d.get("area"),
            unit_id=d.get("unit"),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            q=d.get("q") or "",
        )

    def active_count(self) -> int:
        """How many filters besides the default are set (shown on the toggle)."""
        if not self.is_valid():
            return 0
        return sum(1 for k, v in self.cleaned_data.items() if v not in ("", None))


# --- registration ------------------------------------------------------------------------------


def may_register(user: User) -> bool:
    """The check ``register_matter`` makes, asked before showing the form."""
    return user.unit is not None and holds_role_over(user, user.unit, [Role.REGISTRAR])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _text(
    label: Any, *, required: bool = False, max_length: int | None = None, **attrs: Any
) -> forms.CharField:
    widget_attrs = {k.replace("_", "-"): v for k, v in attrs.items()}
    if required:
        widget_attrs["required"] = True
    if max_length:
        widget_attrs["maxlength"] = max_length
    return forms.CharField(required=False, label=label, widget=forms.TextInput(attrs=widget_attrs))


# What a petitioner does not choose on the portal: the office records these.
STAFF_ONLY_FIELDS = ("channel", "handling_unit", "is_first", "is_above_level", "is_to_capital")


class RegistrationForm(DomainErrorsMixin, forms.Form):
    """登记. Field checks are the service's; this form parses and keeps the user's input."""

    error_fields = {
        "category_id": "category",
        "area_id": "area",
        "handling_unit_id": "handling_unit",
        "petitioner.group_size": "group_size",
        "petitioner.representatives": "rep_name_1",
    }

    channel = forms.ChoiceField(label=gettext_lazy("Channel"), widget=forms.Select(attrs={"required": True}))
    handling_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of handling"), choices=HandlingKind.choices, initial=HandlingKind.CLAIM
    )
    title = _text(gettext_lazy("Title"), required=True, max_length=200)
    content = forms.CharField(
        required=False,
        label=gettext_lazy("Content of the petition"),
        widget=forms.Textarea(attrs={"rows": 6, "required": True}),
    )
    category = _id_choice(gettext_lazy("Category"))
    area = _id_choice(gettext_lazy("Administrative area"))
    address = _text(gettext_lazy("Address of the matter"), max_length=200)
    handling_unit = _id_choice(gettext_lazy("Handling unit"))
    is_first = forms.BooleanField(required=False, initial=True, label=gettext_lazy("First petition"))
    is_group = forms.BooleanField(required=False, label=gettext_lazy("Group petition"))
    is_above_level = forms.BooleanField(required=False, label=gettext_lazy("Above the proper level"))
    is_to_capital = forms.BooleanField(required=False, label=gettext_lazy("Visit to the capital"))

    petitioner_kind = forms.ChoiceField(
        label=gettext_lazy("Petitioner is a"), choices=PetitionerKind.choices, initial=PetitionerKind.PERSON
    )
    petitioner_name = _text(gettext_lazy("Name"), required=True, autocomplete="off")
    petitioner_phone = _text(gettext_lazy("Phone"), autocomplete="off", inputmode="tel")
    petitioner_id_number = _text(gettext_lazy("ID number"), autocomplete="off", max_length=30)
    petitioner_address = _text(gettext_lazy("Petitioner's address"), autocomplete="off")
    petitioner_email = _text(gettext_lazy("Email"), autocomplete="off", inputmode="email")
    group_size = forms.IntegerField(required=False, min_value=0, label=gettext_lazy("Number of people"))

    attachments = MultipleFileField(required=False, label=gettext_lazy("Attachments"))

    def __init__(self, *args: Any, user: User | None, **kwargs: Any) -> None:
        """Without a user (the public portal) the staff-only fields are left out."""
        super().__init__(*args, **kwargs)
        for i in range(1, MAX_REPRESENTATIVES + 1):
            self.fields[f"rep_name_{i}"] = _text(
                gettext_lazy("Representative %(n)d") % {"n": i}, autocomplete="off"
            )
            self.fields[f"rep_phone_{i}"] = _text(gettext_lazy("Phone"), autocomplete="off", inputmode="tel")
        _set_choices(self, "category", _blank(_("Not classified yet")) + leaf_category_choices())
        _set_choices(self, "area", _blank() + area_choices())
        if user is None:
            for name in STAFF_ONLY_FIELDS:
                del self.fields[name]
        else:
            _set_choices(self, "channel", _blank(_("Choose…")) + list(Channel.choices))
            units = unit_choices(selectors.units_for_assignment(user))
            _set_choices(self, "handling_unit", _blank(_("My own unit")) + units)
        self.fields["attachments"].widget.attrs["accept"] = ",".join(
            [*settings.ATTACHMENT_TYPES, *settings.ATTACHMENT_TYPES.values()]
        )

    def flag_fields(self) -> list[forms.BoundField]:
        names = ("is_first", "is_group", "is_above_level", "is_to_capital")
        return [self[name] for name in names if name in self.fields]

    def representative_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"rep_name_{i}"], self[f"rep_phone_{i}"]) for i in range(1, MAX_REPRESENTATIVES + 1)]

    def group_open(self) -> bool:
        """Whether the group section starts unfolded."""
        if not self.is_bound:
            return False
        if self.data.get("petitioner_kind") == PetitionerKind.GROUP or self.data.get("group_size"):
            return True
        return any(self.data.get(f"rep_name_{i}") for i in range(1, MAX_REPRESENTATIVES + 1)) or any(
            k.startswith("rep_") or k == "group_size" for k in self.errors
        )

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        limit = settings.ATTACHMENT_MAX_BYTES
        for f in files:
            if (f.size or 0) > limit:  # refuse before reading a huge upload into memory
                raise forms.ValidationError(
                    _("%(name)s is %(size)d bytes; the limit is %(max)d bytes.")
                    % {"name": f.name, "size": f.size, "max": limit}
                )
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, MAX_REPRESENTATIVES + 1):
            if data.get(f"rep_phone_{i}", "").strip() and not data.get(f"rep_name_{i}", "").strip():
                self.add_error(
                    f"rep_name_{i}", _("Give the name of the representative with this phone number.")
                )
        return data

    def to_data(self) -> RegistrationData:
        d = self.cleaned_data
        reps = [
            (d[f"rep_name_{i}"].strip(), d[f"rep_phone_{i}"].strip())
            for i in range(1, MAX_REPRESENTATIVES + 1)
            if d.get(f"rep_name_{i}", "").strip()
        ]
        files = [
            IncomingFile.from_upload(f) for f in d.get("attachments") or []
        ]
        return RegistrationData(
            channel=d.get("channel") or Channel.WEB,
            handling_kind=d["handling_kind"],
            title=d["title"],
            content=d["content"],
            category_id=d.get("category"),
            area_id=d.get("area"),
            address=d.get("address", ""),
            handling_unit_id=d.get("handling_unit"),
            is_first=d.get("is_first", "is_first" not in self.fields),
            is_group=d.get("is_group", False),
            is_above_level=d.get("is_above_level", False),
            is_to_capital=d.get("is_to_capital", False),
            attachments=files,
            petitioner=PetitionerData(
                kind=d["petitioner_kind"],
                name=d["petitioner_name"],
                phone=d.get("petitioner_phone", ""),
                id_number=d.get("petitioner_id_number", ""),
                address=d.get("petitioner_address", ""),
                email=d.get("petitioner_email", ""),
                group_size=d.get("group_size"),
                representatives=reps,
            ),
        )


# --- action forms ------------------------------------------------------------------------------


class ActionForm(DomainErrorsMixin, forms.Form):
    """The parameters of one action. ``expected_version`` guards against acting on a stale page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    # Explains what the action does, shown above the fields.
    help_text: Any = ""

    def __init__(self, *args: Any, user: User, matter: Matter, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_version", matter.version)
        super().__init__(*args, **kwargs)
        self.user, self.matter = user, matter

    def params(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "expected_version"}


def _area(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    attrs: dict[str, Any] = {"rows": rows}
    if required:
        attrs["required"] = True
    return forms.CharField(required=False, label=label, widget=forms.Textarea(attrs=attrs))


class AcceptForm(ActionForm):
    help_text = gettext_lazy("Accepting starts the 60-day period for the written reply (Art. 34).")


class ReasonForm(ActionForm):
    reason = _area(gettext_lazy("Reason"))


class OptionalReasonForm(ActionForm):
    reason = _area(gettext_lazy("Note"), required=False, rows=2)


class ObjectForm(ReasonForm):
    help_text = gettext_lazy(
        "Within 5 working days of the assignment, a unit that is not competent may object; the matter goes back."
    )


class PauseForm(ReasonForm):
    help_text = gettext_lazy(
        "Time in a hearing or waiting for an appraisal does not count; the span is shown."
    )


class ForwardForm(ActionForm):
    to_unit_id = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Competent unit"), widget=PlainSelect)
    reason = _area(gettext_lazy("Note"), required=False, rows=2)
    help_text = gettext_lazy("The receiving unit has 15 days to decide and 5 working days to object.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = selectors.units_for_assignment(self.user).exclude(pk=self.matter.handling_unit_id)
        if self.matter.handling_kind == HandlingKind.ACCUSATION:
            units = units.filter(kind__in=CONFIDENTIAL_UNIT_KINDS)
        _set_choices(self, "to_unit_id", _blank() + unit_choices(units))


class RefuseForm(ActionForm):
    reason = _area(gettext_lazy("Reason for not accepting"))
    legal_route = _text(gettext_lazy("Legal route the petitioner should take"), max_length=200)
    help_text = gettext_lazy(
        "A claim with a statutory route (litigation, arbitration, reconsideration) "
        "is not accepted as a petition; name the route (Art. 28, 31)."
    )


class ExtendForm(ActionForm):
    days = forms.IntegerField(
        label=gettext_lazy("Extra days"), widget=forms.NumberInput(attrs={"min": 1, "max": 30})
    )
    reason = _area(gettext_lazy("Reason (told to the petitioner)"))
    help_text = gettext_lazy("Before the 60 days end, at most 30 more days (Art. 34).")


class ReplyForm(ActionForm):
    text = _area(gettext_lazy("Written reply"), rows=10)
    help_text = gettext_lazy(
        "Answer each demand, state the facts found and the basis, and state the right to ask "
        "for review within 30 days."
    )


class FollowUpForm(ActionForm):
    note = _area(gettext_lazy("What the petitioner said"))


class DecisionForm(ActionForm):
    decision = _area(gettext_lazy("Decision"), rows=8)


class MergeForm(ActionForm):
    error_fields = {"into_id": "into"}
    into = _text(gettext_lazy("Query code or number of the open matter"), required=True)
    reason = _area(gettext_lazy("Note"), required=False, rows=2)

    def clean_into(self) -> int:
        raw = (self.cleaned_data.get("into") or "").strip()
        if raw.isdigit():
            return int(raw)
        target = selectors.get_matter_by_code_for(self.user, raw) if raw else None
        if target is None:
            raise forms.ValidationError(_("No matter with that query code in your scope."))
        return target.pk

    def params(self) -> dict[str, Any]:
        return {"into_id": self.cleaned_data["into"], "reason": self.cleaned_data.get("reason", "")}


class ReclassifyForm(ActionForm):
    handling_kind = forms.ChoiceField(label=gettext_lazy("Kind of handling"), choices=HandlingKind.choices)
    reason = _area(gettext_lazy("Reason"))
    help_text = gettext_lazy(
        "Suggestion, accusation or claim decides how the matter is handled (Art. 29–31); the change is recorded."
    )


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "forward": ForwardForm,
    "object": ObjectForm,
    "accept": AcceptForm,
    "refuse": RefuseForm,
    "merge": MergeForm,
    "extend": ExtendForm,
    "reply": ReplyForm,
    "follow_up": FollowUpForm,
    "request_review": OptionalReasonForm,
    "decide_review": DecisionForm,
    "request_re_review": OptionalReasonForm,
    "decide_re_review": DecisionForm,
    "pause": PauseForm,
    "resume": ReasonForm,
    "reclassify": ReclassifyForm,
}
