"""Indicator definitions as data (§7): each figure is shown beside its definition and parameters."""

from __future__ import annotations

from django.db import models


class IndicatorDefinition(models.Model):
    key = models.SlugField(unique=True, help_text="the computation this row parameterises")
    name = models.CharField(max_length=100)
    numerator = models.CharField(max_length=300)
    denominator = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True, help_text='e.g. {"count_basically_satisfied": true}')
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name
