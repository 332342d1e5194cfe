from django.urls import path

from . import backlog_views, case_views, reception_views, views

urlpatterns = [
    path("supervision/", views.board, name="supervision_board"),
    path("supervision/orders/<int:pk>", views.order_detail, name="supervision_order"),
    path("supervision/orders/<int:pk>/<slug:action>", views.order_action, name="supervision_order_action"),
    path("matters/<int:matter_pk>/supervise", views.issue_for_matter, name="supervision_issue"),
    path("matters/<int:matter_pk>/leader", case_views.assign_for_matter, name="supervision_assign_leader"),
    path("supervision/my-cases", case_views.my_cases, name="supervision_my_cases"),
    path("supervision/backlog", backlog_views.backlog_list, name="supervision_backlog"),
    path("supervision/backlog/<int:pk>", backlog_views.backlog_entry, name="supervision_backlog_entry"),
    path("supervision/backlog/<int:pk>/dossier.pdf", backlog_views.dossier, name="supervision_backlog_dossier"),
    path("supervision/backlog/<int:pk>/<slug:action>", backlog_views.backlog_action, name="supervision_backlog_action"),
    path("matters/<int:matter_pk>/backlog", backlog_views.list_for_matter, name="supervision_list_backlog"),
    path("supervision/reception", reception_views.slots, name="supervision_reception"),
    path("supervision/reception/publish", reception_views.publish, name="supervision_reception_publish"),
    path("supervision/reception/bookings/<int:pk>/outcome", reception_views.outcome, name="supervision_reception_outcome"),
    path("matters/<int:matter_pk>/reception", reception_views.book, name="supervision_reception_book"),
    path("supervision/cases/<int:pk>", case_views.case_detail, name="supervision_case"),
    path("supervision/cases/<int:pk>/progress", case_views.case_progress, name="supervision_case_progress"),
    path("supervision/cases/<int:pk>/sign-off", case_views.case_sign_off, name="supervision_case_sign_off"),
]
