"""URL patterns for the agenda part of the meetings app (included by meetings/urls.py)."""

urlpatterns = []
