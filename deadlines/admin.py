from django.contrib import admin

from .models import CalendarOverride, DeadlinePolicy, PublishedYear, ServiceProfile

admin.site.register(CalendarOverride)
admin.site.register(PublishedYear)
admin.site.register(DeadlinePolicy)
admin.site.register(ServiceProfile)
