"""The public archive (R15), under /arkiv/: no login (protocols/views_public.py)."""

from django.urls import path

from . import feeds, views_public

app_name = "archive"

urlpatterns = [
    path("", views_public.index, name="index"),
    path("stallningstaganden/", views_public.positions, name="positions"),
    path("flode/", feeds.ArchiveFeed(), name="feed"),
    path("tillganglighet/", views_public.accessibility, name="accessibility"),
    path("protokoll/<int:pk>/", views_public.protocol, name="protocol"),
    path("protokoll/<int:pk>/pdf/", views_public.protocol_pdf, name="protocol_pdf"),
    path("<slug:slug>/", views_public.council, name="council"),
]
