from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/<int:pk>", views.guide_step, name="guide"),
    path("submit", views.submit, name="submit"),
    path("submitted", views.submitted, name="submitted"),
    path("submitted/receipt.txt", views.receipt, name="receipt"),
    path("track", views.track, name="track"),
    path("m/<str:code>", views.matter_page, name="matter"),
    path("m/<str:code>/supply", views.supply, name="supply"),
    path("m/<str:code>/rate", views.rate, name="rate"),
    path("m/<str:code>/review", views.review, name="review"),
    path("m/<str:code>/documents/<int:pk>.pdf", views.document, name="document"),
]
