from django.urls import path

from . import report_views, views

urlpatterns = [
    path("screening/", views.ledger, name="screening_ledger"),
    path("screening/new", views.new_entry, name="screening_entry_new"),
    path("screening/entries/<int:pk>", views.entry_detail, name="screening_entry"),
    path("screening/entries/<int:pk>/dossier.pdf", views.dossier, name="screening_dossier"),
    path("screening/entries/<int:pk>/<slug:action>", views.entry_action, name="screening_entry_action"),
    path("screening/evidence/<int:pk>", views.evidence_file, name="screening_evidence"),
    path("screening/reports", report_views.reports, name="screening_reports"),
    path("screening/reports/file", report_views.file_report, name="screening_report_file"),
    path("screening/missing", report_views.missing, name="screening_missing"),
    path("screening/levels", report_views.levels, name="screening_levels"),
    path("screening/rollup", report_views.rollup, name="screening_rollup"),
]
