"""The OParl 1.1 interface (R15): /oparl/ explains it, /oparl/v1.1/ is its entry point."""

from django.urls import path

from . import views

app_name = "oparl"

urlpatterns = [
    path("", views.about, name="about"),
    path("v1.1/", views.system, name="system"),
    path("v1.1/body/", views.body_list, name="body_list"),
    path("v1.1/body/<slug:body>/", views.body, name="body"),
    path("v1.1/body/<slug:body>/<slug:kind>/", views.object_list, name="list"),
    path("v1.1/file/<int:pk>/download/", views.download, name="download"),
    path("v1.1/<slug:kind>/<slug:key>/", views.object_detail, name="object"),
]
