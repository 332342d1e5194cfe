from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken

if TYPE_CHECKING:
    _TokenAdminBase = admin.ModelAdmin[ApiToken]
else:  # ModelAdmin is not subscriptable at runtime without django_stubs_ext.monkeypatch()
    _TokenAdminBase = admin.ModelAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(_TokenAdminBase):
    """Tokens are listed and can be deleted (revoked); they are never created or shown here."""

    list_display = ("id", "user", "created", "last_used")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "key_hash", "created", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
