from django.contrib import admin

from .models import ScreeningPolicy

admin.site.register(ScreeningPolicy)
