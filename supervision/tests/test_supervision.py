"""Supervision orders (closed loop, scope, escalation) and the automatic escalation job."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from audit.models import Event
from matters.errors import IllegalTransition, InvalidInput, NotAllowed
from matters.models import Matter
from matters.tests.journeys import register
from notify.models import InboxItem, InboxKind
from org.models import Role
from org.services import grant_role
from supervision import services as sv
from supervision.models import OrderKind, OrderState, SupervisionOrder, SupervisionPolicy
from xinfang.testing import World, at

pytestmark = pytest.mark.django_db


def _order(world: World, *matters: Matter, suggestion: str = "三日内联系信访人") -> SupervisionOrder:
    return sv.issue_order(actor=world.users["supervisor"], matter_ids=[m.pk for m in matters], kind=OrderKind.SUPERVISION,
                          requirement="说明办理进展", suggestion=suggestion, due=date(2026, 3, 20), now=at(2026, 3, 10))


def test_a_supervisor_issues_an_order_the_handling_unit_hears_of(world: World) -> None:
    m = register(world)
    order = _order(world, m)
    assert (order.supervising_unit, order.handling_unit, order.state) == (
        world.units["city_office"], world.units["d1_housing"], OrderState.OPEN)
    assert set(InboxItem.objects.filter(kind=InboxKind.SUPERVISION).values_list("user__username", flat=True)) == {
        "handler", "housing_head"}
    assert Event.objects.filter(verb="issue_order", target_id=order.pk).exists()


@pytest.mark.parametrize("user", ["handler", "registrar", "reviewer", "d1_head"])
def test_only_a_supervisor_issues_orders(world: World, user: str) -> None:
    m = register(world)
    with pytest.raises(NotAllowed):
        sv.issue_order(actor=world.users[user], matter_ids=[m.pk], kind=OrderKind.REMINDER, requirement="催办",
                       due=date(2026, 3, 20), now=at(2026, 3, 10))


def test_a_supervisor_cannot_reach_a_matter_outside_their_scope(world: World) -> None:
    grant_role(world.users["d2_head"], Role.SUPERVISOR, world.units["d2"])
    m = register(world)  # in d1
    with pytest.raises(Matter.DoesNotExist):
        sv.issue_order(actor=world.users["d2_head"], matter_ids=[m.pk], kind=OrderKind.REMINDER, requirement="催办",
                       due=date(2026, 3, 20), now=at(2026, 3, 10))


def test_bad_input_is_refused_and_writes_nothing(world: World) -> None:
    m = register(world)
    with pytest.raises(InvalidInput) as err:
        sv.issue_order(actor=world.users["supervisor"], matter_ids=[m.pk], kind="scold", requirement=" ",
                       due=date(2026, 3, 1), now=at(2026, 3, 10))
    assert set(err.value.fields) == {"kind", "requirement", "due"}
    assert not SupervisionOrder.objects.exists()


def test_the_loop_answer_return_answer_accept(world: World) -> None:
    m = register(world)
    order = _order(world, m)
    with pytest.raises(NotAllowed):
        sv.answer_order(order.pk, actor=world.users["supervisor"], now=at(2026, 3, 11), answer="x")
    sv.answer_order(order.pk, actor=world.users["handler"], now=at(2026, 3, 11), answer="已上门核实", evidence="走访记录")
    with pytest.raises(NotAllowed):
        sv.accept_order(order.pk, actor=world.users["handler"], now=at(2026, 3, 12), result="r", feedback="f")
    sv.return_order(order.pk, actor=world.users["supervisor"], now=at(2026, 3, 12), reason="未说明整改时限")
    sv.answer_order(order.pk, actor=world.users["handler"], now=at(2026, 3, 13), answer="3月底前完成维修")
    with pytest.raises(InvalidInput):
        sv.accept_order(order.pk, actor=world.users["supervisor"], now=at(2026, 3, 14), result="", feedback="f")
    done = sv.accept_order(order.pk, actor=world.users["supervisor"], now=at(2026, 3, 14), result="已维修",
                           feedback="信访人认可", recommendation="improve_work")
    assert done.state == OrderState.CLOSED and done.recommendation == "improve_work"
    verbs = list(Event.objects.filter(target_type="supervisionorder", target_id=order.pk).values_list("verb", flat=True))
    assert verbs == ["issue_order", "answer_order", "return_order", "answer_order", "accept_order"]
    with pytest.raises(IllegalTransition):
        sv.answer_order(order.pk, actor=world.users["handler"], now=at(2026, 3, 15), answer="再答")


def test_an_order_without_a_suggestion_cannot_close(world: World) -> None:
    m = register(world)
    order = _order(world, m, suggestion="")
    sv.answer_order(order.pk, actor=world.users["handler"], now=at(2026, 3, 11), answer="已办")
    with pytest.raises(InvalidInput):
        sv.accept_order(order.pk, actor=world.users["supervisor"], now=at(2026, 3, 12), result="r", feedback="f")


def test_an_overdue_order_goes_up_a_level_and_a_kind_once(world: World) -> None:
    grant_role(world.users["d1_reviewer"], Role.SUPERVISOR, world.units["d1"])
    m = register(world)
    order = sv.issue_order(actor=world.users["d1_reviewer"], matter_ids=[m.pk], kind=OrderKind.REMINDER,
                           requirement="催办", suggestion="尽快答复", due=date(2026, 3, 12), now=at(2026, 3, 10))
    assert order.supervising_unit == world.units["d1_office"]
    assert sv.escalate_overdue_orders(now=at(2026, 3, 13)) == 1
    assert sv.escalate_overdue_orders(now=at(2026, 3, 14)) == 0
    order.refresh_from_db()
    new = order.escalated_to
    assert order.state == OrderState.ESCALATED
    assert (new.kind, new.supervising_unit, list(new.matters.all())) == (OrderKind.SUPERVISION, world.units["city_office"], [m])


def test_escalation_job_reminds_then_supervises_and_never_twice(world: World) -> None:
    SupervisionPolicy.objects.update_or_create(pk=1, defaults={"supervise_after_days": 5})
    m = register(world, day=(2026, 3, 2))  # acceptance due 17 March
    r = sv.run_escalation(now=at(2026, 3, 18))
    assert (r.reminders, r.supervisions) == (1, 0)
    assert sv.run_escalation(now=at(2026, 3, 18)).reminders == 0
    r = sv.run_escalation(now=at(2026, 3, 23))  # 6 days over
    assert (r.reminders, r.supervisions) == (0, 1)
    kinds = sorted(SupervisionOrder.objects.filter(matters=m).values_list("kind", flat=True))
    assert kinds == [OrderKind.REMINDER, OrderKind.SUPERVISION]
    assert {o.supervising_unit for o in SupervisionOrder.objects.all()} == {world.units["d1_office"]}
    assert InboxItem.objects.filter(kind=InboxKind.OVERDUE, user=world.users["housing_head"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_open_each_order_once(world: World) -> None:
    register(world, day=(2026, 3, 2))
    register(world, day=(2026, 3, 3))
    errors: list[BaseException] = []

    def run() -> None:
        try:
            sv.run_escalation(now=at(2026, 3, 30))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert SupervisionOrder.objects.filter(kind=OrderKind.REMINDER).count() == 2
    assert SupervisionOrder.objects.filter(kind=OrderKind.SUPERVISION).count() == 2
    assert connection.vendor in {"sqlite", "postgresql"}
