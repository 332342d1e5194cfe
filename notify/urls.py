from django.urls import path

from . import views

urlpatterns = [
    path("inbox", views.inbox, name="inbox"),
    path("inbox/read", views.read_all, name="inbox_read_all"),
]
