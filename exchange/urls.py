from django.urls import path

from . import export_views, views

urlpatterns = [
    path("exchange/import", views.import_page, name="exchange_import"),
    path("exchange/runs/<int:pk>", views.run_page, name="exchange_run"),
    path("exchange/runs/<int:pk>/progress", views.run_progress, name="exchange_run_progress"),
    path("exchange/runs/<int:pk>/import", views.run_import, name="exchange_run_import"),
    path("exchange/runs/<int:pk>/mapping", views.mapping_page, name="exchange_mapping"),
    path("exchange/export/matters.<slug:fmt>", export_views.export_matters, name="exchange_export_matters"),
]
