from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DocumentTemplate, IssuedDocument


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "code")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read only: an issued document never changes."""

    list_display = ("number", "title", "matter", "issuing_unit", "issued_at")
    search_fields = ("number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
