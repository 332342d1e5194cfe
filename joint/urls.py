from django.urls import path

from . import meeting_views, views

urlpatterns = [
    path("joint/tasks", views.my_tasks, name="joint_my_tasks"),
    path("joint/tasks/<int:pk>", views.task, name="joint_task"),
    path("joint/tasks/<int:pk>/<slug:action>", views.task_action, name="joint_task_action"),
    path("joint/matters/<int:matter_pk>/assign", views.assign, name="joint_assign"),
    path("joint/matters/<int:matter_pk>/consolidate", views.consolidate, name="joint_consolidate"),
    path("joint/matters/<int:matter_pk>/agenda", meeting_views.put_on_agenda, name="joint_put_on_agenda"),
    path("joint/meetings", meeting_views.meeting_list, name="joint_meetings"),
    path("joint/meetings/<int:pk>", meeting_views.meeting_detail, name="joint_meeting"),
    path("joint/meetings/<int:pk>/<slug:action>", meeting_views.meeting_action, name="joint_meeting_action"),
    path("joint/items/<int:pk>/<slug:action>", meeting_views.item_action, name="joint_item_action"),
]
