from django.urls import path

from . import pool_views, reception_views, views

urlpatterns = [
    path("hearings/", views.hearing_list, name="hearings_list"),
    path("hearings/pools/", pool_views.pool_list, name="hearings_pools"),
    path("hearings/pools/add", pool_views.member_add, name="hearings_member_add"),
    path("hearings/pools/<int:pk>", pool_views.member_detail, name="hearings_member"),
    path("hearings/pools/<int:pk>/<slug:action>", pool_views.member_action, name="hearings_member_action"),
    path("hearings/duty", reception_views.duty_roster, name="hearings_duty"),
    path("hearings/duty/add", reception_views.duty_add, name="hearings_duty_add"),
    path("hearings/documents/<int:pk>", views.document, name="hearings_document"),
    path("hearings/<int:pk>", views.hearing_detail, name="hearings_detail"),
    path("hearings/<int:pk>/<slug:action>", views.hearing_action, name="hearings_action"),
    path("matters/<int:matter_pk>/hearing", views.schedule, name="hearings_schedule"),
    path("matters/<int:matter_pk>/consultation", reception_views.consultation, name="hearings_consultation"),
]
