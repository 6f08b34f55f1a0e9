from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("uppfoljning/", views.matrix, name="matrix"),
    path("uppfoljning/export/", views.matrix_export, name="matrix_export"),
    path("uppfoljning/stallningstagande/<int:entry_pk>/", views.position, name="position"),
    path("uppfoljning/rus-rapport/", views.coverage_report, name="report"),
    path("uppfoljning/rus-rapport/export/", views.coverage_report_export, name="report_export"),
    path("uppfoljning/arsunderlag/", views.year_review, name="year_review"),
    path("uppfoljning/aterrapport/<int:protocol_pk>/", views.report_home, name="report_home"),
    path("uppfoljning/<int:pk>/", views.followup_edit, name="followup_edit"),
    path("uppfoljning/<int:pk>/dokument/", views.followup_document, name="followup_document"),
]
