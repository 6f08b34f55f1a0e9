from meetings.urls_agenda import urlpatterns as agenda_urls
from meetings.urls_invitations import urlpatterns as invitation_urls
from meetings.urls_review import urlpatterns as review_urls

app_name = "meetings"

# Meetings and agendas; proposals and online review; invitations and replies.
urlpatterns = [*agenda_urls, *review_urls, *invitation_urls]
