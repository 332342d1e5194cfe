from django.urls import path

from . import views

urlpatterns = [
    path("intel/suggestions", views.suggestions, name="intel_suggestions"),
    path("intel/duplicates", views.duplicates_fragment, name="intel_duplicates"),
    path("intel/hotspots", views.hotspots_page, name="intel_hotspots"),
    path("matters/<int:matter_pk>/reply-precheck", views.reply_precheck, name="reply_precheck"),
]
