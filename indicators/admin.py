from django.contrib import admin

from .models import IndicatorDefinition


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "params", "order")
