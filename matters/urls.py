from django.urls import path

from documents.views import document_view

from . import views

urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("matters/new", views.matter_create, name="matter_create"),
    path("matters/routing-suggestion", views.routing_suggestion, name="routing_suggestion"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/reveal", views.matter_reveal, name="matter_reveal"),
    path("matters/<int:pk>/actions/<slug:action>", views.matter_action, name="matter_action"),
    path("documents/<int:pk>.pdf", document_view, name="document_pdf"),
]
