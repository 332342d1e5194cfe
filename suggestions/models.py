"""People's suggestion collection (人民建议征集, §9): calls on topics, the suggestions sent to them,
their evaluation and what became of the adopted ones. Suggestions are not petition matters."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matters.fields import EncryptedTextField
from org.models import Unit


class Call(models.Model):
    """征集活动: a topic open for a period, or the one standing collection (常态化征集) that never ends."""

    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The standing collection is made by a migration, before any unit exists.
    organising_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("organising unit"))
    standing = models.BooleanField(default=False)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="set when staff close the call early")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-standing", "-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["standing"], condition=Q(standing=True), name="one_standing_call"),
            models.CheckConstraint(
                condition=Q(standing=True, closes_on__isnull=True)
                | Q(standing=False, opens_on__isnull=False, closes_on__isnull=False, organising_unit__isnull=False,
                    closes_on__gte=models.F("opens_on")),
                name="call_has_a_period_unless_standing"),
        ]

    def __str__(self) -> str:
        return self.topic

    def is_open(self, today: date) -> bool:
        if self.closed_at is not None:
            return False
        if self.standing:
            return True
        assert self.opens_on is not None and self.closes_on is not None
        return self.opens_on <= today <= self.closes_on


class SuggestionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    EVALUATING = "evaluating", _("Being evaluated")
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    IMPLEMENTED = "implemented", _("Implemented")
    MERGED = "merged", _("Merged")


class Suggestion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="suggestions")
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    proposer_name = EncryptedTextField(blank=True)
    proposer_phone = EncryptedTextField(blank=True)
    proposer_email = EncryptedTextField(blank=True)
    query_code = models.CharField(max_length=10, unique=True)
    # Who received it: the call's organising unit, or the top of the tree for the standing collection.
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    evaluating_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=SuggestionState.choices, default=SuggestionState.RECEIVED)
    opinion = models.TextField(blank=True, help_text="the evaluating unit's internal opinion; never shown to the public")
    reply = models.TextField(blank=True, help_text="the decision in plain words, as the proposer and the public read it")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    received_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    implemented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["state", "received_at"]), models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def has_contact(self) -> bool:
        return bool(self.proposer_phone or self.proposer_email)


class ImplementationUpdate(models.Model):
    """What became of an adopted suggestion, step by step; public on the page of adopted suggestions."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"update #{self.pk} of suggestion {self.suggestion_id}"
