"""URL patterns for the review part of the meetings app (included by meetings/urls.py)."""

urlpatterns = []
