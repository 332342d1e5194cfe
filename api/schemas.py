"""Request and response shapes of the API (pydantic 2 via django-ninja)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from deadlines.models import DayKind
from deadlines.periods import DueState
from matters.lifecycle import State
from matters.models import Channel, HandlingKind, PetitionerKind
from matters.services import IncomingFile, PetitionerData, RegistrationData


class StrictIn(Schema):
    """Input: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str
    fields: dict[str, str] = Field(default_factory=dict, description="field path → problem (422 only)")


# --- auth ------------------------------------------------------------------------------------


class TokenIn(StrictIn):
    username: str
    password: str


class TokenOut(Schema):
    token: str = Field(
        description="Send as `Authorization: Bearer <token>`. Shown once; only its hash is stored."
    )


# --- registration ----------------------------------------------------------------------------


class RepresentativeIn(StrictIn):
    name: str
    phone: str = ""


class PetitionerIn(StrictIn):
    name: str
    kind: PetitionerKind = PetitionerKind.PERSON
    phone: str = ""
    id_number: str = ""
    address: str = ""
    email: str = ""
    group_size: int | None = Field(default=None, ge=1)
    representatives: list[RepresentativeIn] = Field(
        default_factory=list, description="at most five (Art. 20)"
    )

    def to_data(self) -> PetitionerData:
        return PetitionerData(
            name=self.name,
            kind=self.kind,
            phone=self.phone,
            id_number=self.id_number,
            address=self.address,
            email=self.email,
            group_size=self.group_size,
            representatives=[(r.name, r.phone) for r in self.representatives],
        )


class AttachmentIn(StrictIn):
    filename: str = Field(min_length=1, max_length=200)
    content_type: str
    data_base64: str = Field(description="the file's bytes, standard base64")

    @field_validator("data_base64")
    @classmethod
    def _valid_base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("not valid base64") from exc
        return value

    def to_file(self) -> IncomingFile:
        return IncomingFile(self.filename, self.content_type, base64.b64decode(self.data_base64))


class MatterIn(StrictIn):
    channel: Channel
    title: str
    content: str
    petitioner: PetitionerIn
    handling_kind: HandlingKind = HandlingKind.CLAIM
    category_id: int | None = None
    area_id: int | None = None
    address: str = ""
    handling_unit_id: int | None = Field(default=None, description="default: the registrar's own unit")
    is_first: bool = True
    is_group: bool = False
    is_above_level: bool = False
    is_to_capital: bool = False
    attachments: list[AttachmentIn] = Field(default_factory=list)

    def to_data(self) -> RegistrationData:
        return RegistrationData(
            channel=self.channel,
            title=self.title,
            content=self.content,
            petitioner=self.petitioner.to_data(),
            handling_kind=self.handling_kind,
            category_id=self.category_id,
            area_id=self.area_id,
            address=self.address,
            handling_unit_id=self.handling_unit_id,
            is_first=self.is_first,
            is_group=self.is_group,
            is_above_level=self.is_above_level,
            is_to_capital=self.is_to_capital,
            attachments=[a.to_file() for a in self.attachments],
        )


# --- matters out -----------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    name: str


class DeadlineOut(Schema):
    clock: str
    label: str
    start: date
    days: int
    day_kind: DayKind
    due: date
    rolled_from: date | None = Field(description="the last day before it was moved off a rest day")
    provisional: bool = Field(description="drawn from a year whose holiday notice is not yet entered")
    basis: str
    stopped_on: date | None
    paused: bool
    profile_name: str = Field(description="the local service profile, for a local target")


class PetitionerOut(Schema):
    """Always masked in the API."""

    kind: PetitionerKind
    name: str
    phone: str
    id_number: str
    group_size: int | None


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class MatterListItem(Schema):
    id: int
    query_code: str
    state: State
    state_label: str
    channel: Channel
    handling_kind: HandlingKind
    title: str
    handling_unit: UnitRef
    registered_at: datetime
    statutory_due: date | None = Field(description="earliest open statutory obligation")
    due_state: DueState | None
    due_provisional: bool
    clock_paused: bool
    petitioner_name: str = Field(description="masked")
    petitioner_phone: str = Field(description="masked")


class MatterOut(MatterListItem):
    content: str
    category_id: int | None
    area_id: int | None
    address: str
    intake_unit: UnitRef
    review_unit: UnitRef | None
    merged_into_id: int | None
    closed_at: datetime | None
    is_first: bool
    is_repeat: bool
    is_group: bool
    is_above_level: bool
    is_to_capital: bool
    reply_text: str
    decision_text: str
    legal_route: str
    version: int = Field(description="send back as expected_version to detect concurrent changes")
    petitioner: PetitionerOut
    deadlines: list[DeadlineOut]
    attachments: list[AttachmentOut]
    available_actions: list[str] = Field(description="actions of the lifecycle table the caller may take now")


class MatterPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MatterListItem]


class MatterFilters(Schema):
    state: State | None = None
    due_state: DueState | None = None
    channel: Channel | None = None
    category_id: int | None = None
    area_id: int | None = None
    unit_id: int | None = Field(default=None, description="handling unit and its subtree")
    date_from: date | None = Field(default=None, description="registered on or after")
    date_to: date | None = Field(default=None, description="registered on or before")
    q: str = Field(default="", description="title, content or query code")
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


class EventOut(Schema):
    seq: int
    at: datetime
    verb: str
    actor: str | None = Field(description="username of the staff member, if any")
    actor_label: str = Field(description="who, when not a staff user (system, petitioner)")
    unit: UnitRef | None
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str


# --- calendar --------------------------------------------------------------------------------


class DeadlineQuery(Schema):
    start: date = Field(description="the triggering day; counting starts the day after")
    days: int = Field(ge=1, le=3650)
    kind: DayKind = DayKind.CALENDAR


class DeadlineCalcOut(Schema):
    start: date
    days: int
    kind: DayKind
    due: date
    rolled_from: date | None
    provisional: bool
    rule: str
