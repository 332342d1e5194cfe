from django.contrib import admin

from .models import Category, IntakePolicy, RoutingRule

admin.site.register(IntakePolicy)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "area", "unit", "note")
    autocomplete_fields = ("category",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    search_fields = ("path",)
    list_display = ("path", "level")
