"""Login throttling: the Nth failure locks, the right password is refused while locked, the lock
ends, other users are not affected, administrators unlock, each lockout is an event."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from audit.models import Event
from security.models import Lockout, LoginPolicy
from xinfang.testing import World

pytestmark = pytest.mark.django_db

# The assertions read English messages: requests send HTTP_ACCEPT_LANGUAGE="en".


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en")


def fail_until_locked(client: Client, username: str, ip: str = "10.0.0.1") -> list[int]:
    return [attempt(client, username, "wrong", ip).status_code for _ in range(LoginPolicy.current().max_failures)]


def test_nth_failure_locks_and_says_so(world: World) -> None:
    client = Client()
    codes = fail_until_locked(client, "handler")
    assert codes[:-1] == [200] * (len(codes) - 1)  # the login form again, with its error
    assert codes[-1] == 429
    response = attempt(client, "handler", "pw-handler")
    assert response.status_code == 429
    assert "This account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    events = Event.objects.filter(verb="login_locked")
    assert events.count() == 1
    assert events.get().after["value"] == "handler"


def test_four_failures_do_not_lock(world: World) -> None:
    client = Client()
    for _ in range(LoginPolicy.current().max_failures - 1):
        attempt(client, "handler", "wrong")
    response = attempt(client, "handler", "pw-handler")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["handler"].pk)


def test_success_resets_the_count(world: World) -> None:
    n = LoginPolicy.current().max_failures
    for _ in range(n - 1):
        attempt(Client(), "handler", "wrong")
    assert attempt(Client(), "handler", "pw-handler").status_code == 302
    for _ in range(n - 1):
        assert attempt(Client(), "handler", "wrong").status_code == 200
    assert not Lockout.objects.exists()


def test_lock_expires(world: World) -> None:
    client = Client()
    fail_until_locked(client, "handler")
    later = timezone.now() + timedelta(minutes=LoginPolicy.current().lockout_minutes, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = attempt(client, "handler", "pw-handler")
    assert response.status_code == 302
    # A fresh count: one more failure does not lock again at once.
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert attempt(Client(), "handler", "wrong").status_code == 200


def test_other_users_unaffected(world: World) -> None:
    fail_until_locked(Client(), "handler", ip="10.0.0.1")
    client = Client()
    response = attempt(client, "d2_handler", "pw-d2_handler", ip="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["d2_handler"].pk)


def test_many_usernames_from_one_address_lock_the_address(world: World) -> None:
    policy = LoginPolicy.current()
    for i in range(policy.max_failures_per_ip):
        attempt(Client(), f"guess{i}", "wrong", ip="10.9.9.9")
    response = attempt(Client(), "d2_handler", "pw-d2_handler", ip="10.9.9.9")
    assert response.status_code == 429
    assert "Logins from your address are locked" in response.content.decode()
    # The same user from elsewhere still logs in.
    assert attempt(Client(), "d2_handler", "pw-d2_handler", ip="10.0.0.7").status_code == 302


def test_api_token_and_admin_login_share_the_lock(world: World) -> None:
    fail_until_locked(Client(), "handler")
    api = Client().post("/api/v1/auth/token", {"username": "handler", "password": "pw-handler"},
                        content_type="application/json", REMOTE_ADDR="10.0.0.5")
    assert api.status_code in (401, 403)
    admin = Client().post("/admin/login/", {"username": "handler", "password": "pw-handler"},
                          REMOTE_ADDR="10.0.0.5", HTTP_ACCEPT_LANGUAGE="en")
    assert admin.status_code == 429


def test_command_unlocks(world: World) -> None:
    fail_until_locked(Client(), "handler")
    out = StringIO()
    call_command("unlock_login", "handler", "--reason", "phoned the help desk", stdout=out)
    assert "1 lockout(s) lifted" in out.getvalue()
    assert attempt(Client(), "handler", "pw-handler").status_code == 302
    unlocked = Event.objects.get(verb="login_unlocked")
    assert unlocked.reason == "phoned the help desk"


def test_admin_action_unlocks(world: World) -> None:
    fail_until_locked(Client(), "handler")
    from org.models import User

    admin_user = User.objects.create_superuser("root", password="pw-root", unit=world.units["city"])
    client = Client()
    client.force_login(admin_user)
    lockout = Lockout.objects.get()
    response = client.post("/admin/security/lockout/", {"action": "lift", "_selected_action": [lockout.pk]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    lockout.refresh_from_db()
    assert lockout.lifted_by == admin_user
    assert attempt(Client(), "handler", "pw-handler").status_code == 302


def test_authenticate_without_a_request_still_counts(world: World) -> None:
    """Django's own callers (and the demo's account check) call authenticate() without a request:
    the username is still counted and locked, only the address is unknown."""
    from django.contrib.auth import authenticate

    assert authenticate(username="handler", password="pw-handler") == world.users["handler"]
    for _ in range(LoginPolicy.current().max_failures):
        assert authenticate(username="handler", password="wrong") is None
    assert Lockout.objects.get().value == "handler"
    assert authenticate(username="handler", password="pw-handler") is None


def test_failures_older_than_the_window_are_dropped(world: World) -> None:
    from security.models import FailedLogin
    from security.throttle import record_failed_login

    now = timezone.now()
    record_failed_login("someone", "10.0.0.1", now=now - timedelta(hours=1))
    record_failed_login("other", "10.0.0.2", now=now)
    assert list(FailedLogin.objects.values_list("username", flat=True)) == ["other"]
