"""django-helpdesk mounted at the root, as its installation guide suggests (``path("", include("helpdesk.urls"))``)."""

from django.urls import include, path

urlpatterns = [path("", include("helpdesk.urls"))]
