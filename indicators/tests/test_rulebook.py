"""The rulebook (考核细则) is data that admins edit: its lines validate, and the admin shows them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from indicators.models import CountKind, IndicatorDefinition, Rulebook, RuleLine
from org.models import User

pytestmark = pytest.mark.django_db


def _line(**kw: object) -> RuleLine:
    return RuleLine(rulebook=Rulebook.objects.get(year=2026), label="x", **kw)


def test_a_scored_line_needs_a_rate_and_a_target_below_which_the_floor_lies() -> None:
    rate = IndicatorDefinition.objects.get(key="on_time_completion")
    count = IndicatorDefinition.objects.get(key="registered")
    _line(kind="score", indicator=rate, target=Decimal("0.9"), floor=Decimal("0.5")).clean()
    for bad in ({"indicator": None, "target": Decimal("0.9")}, {"indicator": count, "target": Decimal("0.9")},
                {"indicator": rate, "target": None}, {"indicator": rate, "target": Decimal("0.5"), "floor": Decimal("0.5")}):
        with pytest.raises(ValidationError):
            _line(kind="score", **bad).clean()


def test_a_deduction_counts_something() -> None:
    _line(kind="deduction", count=CountKind.OVERDUE, per_item=1).clean()
    with pytest.raises(ValidationError):
        _line(kind="bonus", count="").clean()


def test_admins_edit_the_rulebook_in_the_admin() -> None:
    admin = User.objects.create_superuser("admin", password="pw-admin")
    c = Client()
    c.force_login(admin)
    book = Rulebook.objects.get(year=2026)
    page = c.get(reverse("admin:indicators_rulebook_change", args=[book.pk])).content.decode()
    assert "按期办结" in page and "超期未办" in page
    assert c.get(reverse("admin:indicators_indicatordefinition_changelist")).status_code == 200
