"""A matter under handling at d1's housing bureau, and tasks on it, through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from joint import services
from joint.models import Assignment
from matters.models import Matter
from matters.tests.journeys import act, register
from xinfang.testing import World, at

DUE = date(2026, 3, 20)


def handled(w: World, **kwargs: Any) -> Matter:
    """Accepted by d1's housing bureau (the lead unit) on 4 March 2026."""
    return act(w, register(w, **kwargs), "accept", "handler", (2026, 3, 4))


def cooperation(w: World, matter: Matter, unit: str = "d1_street", actor: str = "handler",
                task: str = "核查小区供水管网产权") -> Assignment:
    return services.assign_cooperation(matter.pk, actor=w.users[actor], unit_id=w.units[unit].pk, task=task,
                                       due=DUE, now=at(2026, 3, 5))


def answered(w: World, matter: Matter, unit: str = "d1_street", answerer: str = "street_handler") -> Assignment:
    a = cooperation(w, matter, unit)
    return services.answer_assignment(a.pk, actor=w.users[answerer], answer="管网属街道所有，已安排维修",
                                      now=at(2026, 3, 8))


def accepted(w: World, matter: Matter, unit: str = "d1_street", answerer: str = "street_handler") -> Assignment:
    a = answered(w, matter, unit, answerer)
    return services.accept_assignment(a.pk, actor=w.users["handler"], now=at(2026, 3, 9))
