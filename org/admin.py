from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Area, RoleAssignment, Unit, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Xinfang", {"fields": ("unit", "display_name")}))
    inlines = [RoleInline]
    list_display = ("username", "display_name", "unit", "is_staff")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level_name", "parent", "path")
    list_filter = ("kind", "level_name")


admin.site.register(Area)
