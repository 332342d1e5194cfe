from django.urls import path

from . import views

urlpatterns = [path("intel/suggestions", views.suggestions, name="intel_suggestions")]
