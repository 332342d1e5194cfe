from django.contrib import admin

from .models import GuideNode


@admin.register(GuideNode)
class GuideNodeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "parent", "order", "outcome", "route_name", "handling_kind", "unit")
    list_filter = ("outcome",)
    ordering = ("parent_id", "order")
