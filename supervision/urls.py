from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.board, name="supervision_board"),
    path("supervision/orders/<int:pk>", views.order_detail, name="supervision_order"),
    path("supervision/orders/<int:pk>/<slug:action>", views.order_action, name="supervision_order_action"),
    path("matters/<int:matter_pk>/supervise", views.issue_for_matter, name="supervision_issue"),
]
