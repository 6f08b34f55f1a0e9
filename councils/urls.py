from django.urls import path

from .views import councils, imports, memberships, organisations, people

app_name = "councils"

urlpatterns = [
    path("rad/", councils.council_list, name="council_list"),
    path("registerhistorik/", councils.register_history, name="register_history"),
    path("rad/nytt/", councils.council_create, name="council_create"),
    path("rad/<slug:slug>/", councils.council_detail, name="council_detail"),
    path("rad/<slug:slug>/andra/", councils.council_edit, name="council_edit"),
    path("rad/<slug:slug>/historik/", councils.council_history, name="council_history"),
    path(
        "rad/<slug:slug>/ledamoter.csv",
        councils.council_export,
        {"fmt": "csv"},
        name="council_export_csv",
    ),
    path(
        "rad/<slug:slug>/ledamoter.xlsx",
        councils.council_export,
        {"fmt": "xlsx"},
        name="council_export_xlsx",
    ),
    path("rad/<slug:slug>/uppdrag/nytt/", memberships.membership_create, name="membership_create"),
    path("rad/<slug:slug>/importera/", imports.import_upload, name="import_upload"),
    path("rad/<slug:slug>/importera/bekrafta/", imports.import_confirm, name="import_confirm"),
    path("rad/<slug:slug>/importera/mall.csv", imports.import_template, name="import_template"),
    path("uppdrag/<int:pk>/andra/", memberships.membership_edit, name="membership_edit"),
    path("uppdrag/<int:pk>/avsluta/", memberships.membership_end, name="membership_end"),
    path("organisationer/", organisations.organisation_list, name="organisation_list"),
    path("organisationer/ny/", organisations.organisation_create, name="organisation_create"),
    path("organisationer/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path(
        "organisationer/<int:pk>/andra/", organisations.organisation_edit, name="organisation_edit"
    ),
    path(
        "organisationer/<int:pk>/historik/",
        organisations.organisation_history,
        name="organisation_history",
    ),
    path("personer/", people.person_list, name="person_list"),
    path("personer/ny/", people.person_create, name="person_create"),
    path("personer/<int:pk>/", people.person_detail, name="person_detail"),
    path("personer/<int:pk>/andra/", people.person_edit, name="person_edit"),
    path("personer/<int:pk>/historik/", people.person_history, name="person_history"),
]
