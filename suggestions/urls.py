from django.urls import path

from . import portal_views, views

urlpatterns = [
    path("suggestions/", views.calls, name="suggestions_calls"),
    path("suggestions/calls/create", views.call_create, name="suggestions_call_create"),
    path("suggestions/calls/<int:pk>/close", views.call_close, name="suggestions_call_close"),
    path("suggestions/queue", views.queue, name="suggestions_queue"),
    path("suggestions/<int:pk>", views.detail, name="suggestions_detail"),
    path("suggestions/<int:pk>/<slug:action>", views.act, name="suggestions_act"),
    path("portal/suggestions/", portal_views.calls, name="suggestions_portal_calls"),
    path("portal/suggestions/calls/<int:pk>", portal_views.submit, name="suggestions_portal_submit"),
    path("portal/suggestions/submitted", portal_views.submitted, name="suggestions_portal_submitted"),
    path("portal/suggestions/track", portal_views.track, name="suggestions_portal_track"),
    path("portal/suggestions/s/<str:code>", portal_views.status, name="suggestions_portal_status"),
    path("portal/suggestions/adopted", portal_views.adopted, name="suggestions_portal_adopted"),
]
