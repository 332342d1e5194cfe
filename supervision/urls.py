from django.urls import path

from . import case_views, views

urlpatterns = [
    path("supervision/", views.board, name="supervision_board"),
    path("supervision/orders/<int:pk>", views.order_detail, name="supervision_order"),
    path("supervision/orders/<int:pk>/<slug:action>", views.order_action, name="supervision_order_action"),
    path("matters/<int:matter_pk>/supervise", views.issue_for_matter, name="supervision_issue"),
    path("matters/<int:matter_pk>/leader", case_views.assign_for_matter, name="supervision_assign_leader"),
    path("supervision/my-cases", case_views.my_cases, name="supervision_my_cases"),
    path("supervision/cases/<int:pk>", case_views.case_detail, name="supervision_case"),
    path("supervision/cases/<int:pk>/progress", case_views.case_progress, name="supervision_case_progress"),
    path("supervision/cases/<int:pk>/sign-off", case_views.case_sign_off, name="supervision_case_sign_off"),
]
