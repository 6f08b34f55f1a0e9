"""URL patterns for the invitations part of the meetings app (included by meetings/urls.py)."""

urlpatterns = []
