from django.contrib import admin

from .models import IndicatorDefinition, Rulebook, RuleLine


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "indicator_set", "params", "order")
    list_filter = ("indicator_set",)


class RuleLineInline(admin.TabularInline):
    model = RuleLine
    extra = 1
    fields = ("order", "kind", "label", "indicator", "count", "points", "target", "floor", "per_item", "cap")


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    """考核细则: admins edit weights, targets, deductions and bonuses here; the assessment reads them."""

    list_display = ("name", "year")
    inlines = [RuleLineInline]
