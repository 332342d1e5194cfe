"""Written notices (§4): templates admins edit, and the documents issued from them, which never change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from matters.models import Matter
from org.models import Unit


class DocumentKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice")
    NON_ACCEPTANCE = "non_acceptance", _("Non-acceptance notice")
    FORWARD = "forward", _("Forward notice")
    EXTENSION = "extension", _("Extension notice")
    REPLY = "reply", _("Written reply")
    REVIEW_DECISION = "review_decision", _("Review decision")
    RE_REVIEW_DECISION = "re_review_decision", _("Re-review decision")


class DocumentTemplate(models.Model):
    """The text of one kind of notice, a Django template (variables listed in ``help``)."""

    kind = models.CharField(max_length=30, choices=DocumentKind.choices, unique=True)
    title = models.CharField(max_length=100)
    code = models.CharField(max_length=10, help_text="the kind's sign in the document number, e.g. 受 in 江信受〔2026〕12号")
    body = models.TextField(help_text="variables: petitioner, code, title, registered, unit, reason, legal_route, "
                            "to_unit, days, due, reply_text, decision_text, review_body, review_due")

    def __str__(self) -> str:
        return self.title


class DocumentCounter(models.Model):
    """The last number given per issuing unit, year and kind (文号 run from 1 each year)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="one_counter_per_unit_year_kind")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.kind}: {self.last}"


class IssuedDocument(models.Model):
    """A notice as issued: its number, text and the hash of that text are fixed at issue; the PDF
    is rendered from the text once, on first request, and its hash is recorded then."""

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    number = models.CharField(max_length=160)
    title = models.CharField(max_length=100)
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    issuing_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "number"], name="one_number_per_issuing_unit")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("an issued document never changes")
        super().save(*args, **kwargs)
