"""URL patterns of the strategy (included under /strategi/ by rus/urls.py)."""

from django.urls import path

from rus.views import strategy as views

app_name = "rus"

urlpatterns = [
    path("", views.strategy, name="strategy"),
    path("andra/", views.strategy_edit, name="strategy_edit"),
    path("historik/", views.history, name="history"),
    path("malomraden/ny/", views.target_area_create, name="target_area_create"),
    path("malomraden/<int:pk>/andra/", views.target_area_edit, name="target_area_edit"),
    path("malomraden/<int:pk>/ta-bort/", views.target_area_delete, name="target_area_delete"),
    path("understrategier/ny/", views.sub_strategy_create, name="sub_strategy_create"),
    path("understrategier/<int:pk>/andra/", views.sub_strategy_edit, name="sub_strategy_edit"),
    path(
        "understrategier/<int:pk>/ta-bort/", views.sub_strategy_delete, name="sub_strategy_delete"
    ),
    path("planer/", views.plan_list, name="plan_list"),
    path("planer/ny/", views.plan_create, name="plan_create"),
    path("planer/jamfor/", views.plan_compare, name="plan_compare"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/andra/", views.plan_edit, name="plan_edit"),
    path("planer/<int:pk>/ta-bort/", views.plan_delete, name="plan_delete"),
    path("planer/<int:pk>/faststall/", views.plan_adopt, name="plan_adopt"),
    path("planer/<int:pk>/starta-nasta-ar/", views.plan_start_next, name="plan_start_next"),
    path("planer/<int:pk>/historik/", views.plan_history, name="plan_history"),
    path(
        "planer/<int:plan_pk>/fokusomraden/nytt/",
        views.focus_area_create,
        name="focus_area_create",
    ),
    path("fokusomraden/<int:pk>/andra/", views.focus_area_edit, name="focus_area_edit"),
    path("fokusomraden/<int:pk>/ta-bort/", views.focus_area_delete, name="focus_area_delete"),
    path(
        "planer/<int:plan_pk>/paverkansfragor/ny/",
        views.influence_issue_create,
        name="influence_issue_create",
    ),
    path(
        "paverkansfragor/<int:pk>/andra/", views.influence_issue_edit, name="influence_issue_edit"
    ),
    path(
        "paverkansfragor/<int:pk>/ta-bort/",
        views.influence_issue_delete,
        name="influence_issue_delete",
    ),
]
