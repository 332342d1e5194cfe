from django.urls import path

from . import report_views as r
from . import views

# The reports come before the generic drill-down, whose two slugs would match their paths.
urlpatterns = [
    path("indicators/", views.overview, name="indicators"),
    path("indicators/export.<slug:fmt>", views.export, name="indicators_export"),
    path("indicators/dispatch/", r.dispatch, name="indicators_dispatch"),
    path("indicators/dispatch/export.<slug:fmt>", r.dispatch_export, name="indicators_dispatch_export"),
    path("indicators/dispatch/matters", r.dispatch_matters, name="indicators_dispatch_matters"),
    path("indicators/bulletin/", r.bulletin, name="indicators_bulletin"),
    path("indicators/bulletin/export.<slug:fmt>", r.bulletin_export, name="indicators_bulletin_export"),
    path("indicators/campaign/", r.campaign, name="indicators_campaign"),
    path("indicators/campaign/export.<slug:fmt>", r.campaign_export, name="indicators_campaign_export"),
    path("indicators/campaign/entries", r.campaign_entries, name="indicators_campaign_entries"),
    path("indicators/assessment/", r.assessment, name="indicators_assessment"),
    path("indicators/assessment/export.<slug:fmt>", r.assessment_export, name="indicators_assessment_export"),
    path("indicators/assessment/matters", r.assessment_matters, name="indicators_assessment_matters"),
    path("indicators/dashboard/city", r.city_dashboard, name="indicators_city_dashboard"),
    path("indicators/dashboard/unit", r.unit_dashboard_view, name="indicators_unit_dashboard"),
    path("indicators/<slug:key>/<slug:part>", views.drill_down, name="indicator_drill_down"),
]
