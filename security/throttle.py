"""Login throttling: failed logins counted per username and per address; a lockout refuses
further attempts, even with the right password, until it ends or an administrator lifts it.

The counting is done in the authentication backend, so the staff login page, the admin login and
the API's token endpoint all share one count."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from audit.services import record_event
from org.models import User

from .models import FailedLogin, Lockout, LockoutKind, LoginPolicy


def client_ip(request: HttpRequest | None) -> str:
    """The peer address. Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. through the
    WSGI server's forwarded-for handling); X-Forwarded-For is not trusted here."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _keys(username: str, ip: str) -> list[tuple[str, str]]:
    return [(kind, value) for kind, value in ((LockoutKind.USERNAME, username), (LockoutKind.IP, ip)) if value]


def active_lockout(username: str, ip: str, *, now: datetime) -> Lockout | None:
    """The lockout in force for this username or this address, if any."""
    keys = _keys(username[:150], ip)
    if not keys:
        return None
    match = Q()
    for kind, value in keys:
        match |= Q(kind=kind, value=value)
    return (Lockout.objects.filter(match, locked_until__gt=now, lifted_at__isnull=True)
            .order_by("-locked_until").first())


def record_failed_login(username: str, ip: str, *, now: datetime) -> Lockout | None:
    """Count one failed login; lock the username or the address when it reaches its limit.
    Returns the lockout this failure started, if any. Each lockout is an event."""
    username = username[:150]
    policy = LoginPolicy.current()
    window_start = now - timedelta(minutes=policy.window_minutes)
    started = None
    with transaction.atomic():
        # Rows older than the window never count again; dropping them keeps the table small when
        # someone tries many usernames.
        FailedLogin.objects.filter(at__lt=window_start).delete()
        FailedLogin.objects.create(username=username, ip=ip, at=now)
        for kind, value in _keys(username, ip):
            limit = policy.max_failures if kind == LockoutKind.USERNAME else policy.max_failures_per_ip
            last = Lockout.objects.filter(kind=kind, value=value).order_by("-locked_at", "-id").first()
            if last is not None and last.lifted_at is None and last.locked_until > now:
                continue
            # Failures before the last lockout started were paid for by that lockout.
            since = max(window_start, last.locked_at) if last is not None else window_start
            field = "username" if kind == LockoutKind.USERNAME else "ip"
            failures = FailedLogin.objects.filter(**{field: value, "at__gt": since}).count()
            if failures < limit:
                continue
            lockout = Lockout.objects.create(kind=kind, value=value, locked_at=now, failures=failures,
                                             locked_until=now + timedelta(minutes=policy.lockout_minutes))
            record_event("login_locked", actor_label="login", target=lockout,
                         after={"kind": kind, "value": value, "failures": failures,
                                "locked_until": lockout.locked_until.isoformat()}, at=now)
            started = started or lockout
    return started


def forget_failures(username: str) -> None:
    """After a successful login the username's count starts again. Counting data only: no event,
    or every login would write one."""
    FailedLogin.objects.filter(username=username[:150]).delete()


def lift_lockout(lockout: Lockout, *, actor: User | None, now: datetime, reason: str = "") -> bool:
    """An administrator unlocks a username or an address before its lockout ends."""
    with transaction.atomic():
        locked = Lockout.objects.select_for_update().get(pk=lockout.pk)
        if locked.lifted_at is not None or locked.locked_until <= now:
            return False
        locked.lifted_at = now
        locked.lifted_by = actor
        locked.save(update_fields=["lifted_at", "lifted_by"])
        field = "username" if locked.kind == LockoutKind.USERNAME else "ip"
        FailedLogin.objects.filter(**{field: locked.value}).delete()
        record_event("login_unlocked", actor=actor, actor_label="" if actor else "command", target=locked,
                     before={"locked_until": locked.locked_until.isoformat()},
                     after={"kind": locked.kind, "value": locked.value}, reason=reason, at=now)
    lockout.refresh_from_db()
    return True


def lift_lockouts_for(value: str, *, actor: User | None, now: datetime, reason: str = "") -> int:
    """Lift every lockout in force for this username or address; the number lifted."""
    current = Lockout.objects.filter(value=value[:150], lifted_at__isnull=True, locked_until__gt=now)
    return sum(lift_lockout(lockout, actor=actor, now=now, reason=reason) for lockout in current)
