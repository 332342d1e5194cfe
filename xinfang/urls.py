from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from api.api import api
from exchange.open311 import open311


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/v2/", open311.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    path("portal/", include("portal.urls")),
    path("", include("notify.urls")),
    path("", include("supervision.urls")),
    path("", include("intel.urls")),
    path("", include("indicators.urls")),
    path("", include("screening.urls")),
    path("", include("suggestions.urls")),
    path("", include("hearings.urls")),
    path("", include("exchange.urls")),
    path("", include("joint.urls")),
    path("", include("matters.urls")),
]
