from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.overview, name="indicators"),
    path("indicators/export.<slug:fmt>", views.export, name="indicators_export"),
    path("indicators/<slug:key>/<slug:part>", views.drill_down, name="indicator_drill_down"),
]
