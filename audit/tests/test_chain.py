"""The event log is append-only at the database and any tampering is found and named."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit.models import Event
from audit.selectors import verify_chain
from audit.triggers import install_sql, remove_sql
from matters.tests.journeys import act, register

pytestmark = pytest.mark.django_db


def _journey(world):
    m = register(world)
    act(world, m, "accept", "handler", (2026, 3, 4))
    act(world, m, "reply", "handler", (2026, 3, 20), text="答复")
    return m


def _tamper(sql, params):
    vendor = connection.vendor
    with connection.cursor() as cur:
        for stmt in remove_sql(vendor):
            cur.execute(stmt)
        cur.execute(sql, params)
        for stmt in install_sql(vendor):
            cur.execute(stmt)


def test_chain_is_intact_after_a_journey(world, capsys):
    _journey(world)
    report = verify_chain()
    assert report.intact and report.checked == Event.objects.count()
    call_command("verify_audit_chain")
    assert "intact" in capsys.readouterr().out


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"])
def test_database_refuses_update_and_delete(world, statement):
    _journey(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(statement)


def test_edited_content_is_detected_at_that_event(world):
    _journey(world)
    target = Event.objects.get(verb="accept")
    _tamper("UPDATE audit_event SET reason = %s WHERE id = %s", ["改过", target.pk])
    report = verify_chain()
    assert report.first_broken_seq == target.seq and "seal" in report.problem
    with pytest.raises(CommandError, match=f"#{target.seq}"):
        call_command("verify_audit_chain")


def test_deleted_event_is_detected(world):
    _journey(world)
    target = Event.objects.get(verb="accept")
    _tamper("DELETE FROM audit_event WHERE id = %s", [target.pk])
    assert verify_chain().first_broken_seq == target.seq


def test_resealed_forgery_breaks_the_next_link(world):
    from audit.chain import seal, sealed_fields

    _journey(world)
    target = Event.objects.get(verb="accept")
    target.reason = "伪造"
    forged = seal(target.prev_hash, sealed_fields(target))
    _tamper("UPDATE audit_event SET reason = %s, hash = %s WHERE id = %s", ["伪造", forged, target.pk])
    assert verify_chain().first_broken_seq == target.seq + 1


def test_events_record_who_when_what_and_before_after(world):
    m = _journey(world)
    accept = Event.objects.get(verb="accept", target_id=m.pk)
    assert accept.actor == world.users["handler"]
    assert accept.unit == world.units["d1_housing"]
    assert accept.before["state"] == "registered" and accept.after["state"] == "accepted"


def test_role_grants_are_events(world):
    assert Event.objects.filter(verb="grant_role", target_id=world.users["handler"].pk).exists()
