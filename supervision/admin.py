from django.contrib import admin

from .models import SupervisionOrder, SupervisionPolicy


@admin.register(SupervisionPolicy)
class SupervisionPolicyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "supervise_after_days", "order_due_days")


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(admin.ModelAdmin):
    list_display = ("__str__", "state", "supervising_unit", "handling_unit", "due")
    list_filter = ("state", "kind")
    readonly_fields = [f.name for f in SupervisionOrder._meta.fields]
