from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from org.models import User

from .models import Lockout, LoginPolicy, RetentionPolicy
from .throttle import lift_lockout


@admin.register(Lockout)
class LockoutAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "locked_at", "locked_until", "failures", "lifted_at", "lifted_by"]
    list_filter = ["kind"]
    search_fields = ["value"]
    readonly_fields = [f.name for f in Lockout._meta.fields]
    actions = ["lift"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Unlock the selected lockouts"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Lockout]) -> None:
        actor = request.user if isinstance(request.user, User) else None
        now = timezone.now()
        lifted = sum(lift_lockout(lockout, actor=actor, now=now, reason="admin") for lockout in queryset)
        self.message_user(request, ngettext("%(n)d lockout lifted.", "%(n)d lockouts lifted.", lifted) % {"n": lifted},
                          messages.SUCCESS)


admin.site.register(LoginPolicy)
admin.site.register(RetentionPolicy)
