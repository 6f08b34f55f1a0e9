"""URL patterns for the invitations part of the meetings app (included by meetings/urls.py)."""

from django.urls import path

from meetings.views import invitations, replies

urlpatterns = [
    path("moten/<int:pk>/kallelser/", invitations.invitation_progress, name="invitation_progress"),
    path("moten/<int:pk>/kallelser/skicka/", invitations.invitation_send, name="invitation_send"),
    path(
        "moten/<int:pk>/kallelser/organisationer/",
        replies.reply_overview_page,
        name="reply_overview",
    ),
    path("moten/<int:pk>/kallelser/deltagare.xlsx", replies.attendees_xlsx, name="attendees_xlsx"),
    path("moten/<int:pk>/kallelser/deltagare.pdf", replies.attendees_pdf, name="attendees_pdf"),
    path(
        "moten/<int:pk>/kallelser/uppdatering/",
        invitations.invitation_update,
        name="invitation_update",
    ),
    path(
        "moten/<int:pk>/kallelser/installa/",
        invitations.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "moten/<int:pk>/kallelser/skicka-igen/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "moten/<int:pk>/kallelser/<int:invitation_pk>/skicka-igen/",
        invitations.invitation_resend,
        name="invitation_resend_one",
    ),
    path(
        "moten/<int:pk>/kallelser/<int:invitation_pk>/svar/",
        invitations.invitation_record_reply,
        name="invitation_record_reply",
    ),
    path(
        "moten/<int:pk>/kallelser/mitt-svar/",
        invitations.invitation_my_reply,
        name="invitation_my_reply",
    ),
    path("svar/<str:token>/", invitations.invitation_reply, name="invitation_reply"),
    path("kalender/", invitations.calendar_settings, name="calendar_settings"),
    path("kalender/ny-lank/", invitations.calendar_regenerate, name="calendar_regenerate"),
    path("kalender/stang-av/", invitations.calendar_revoke, name="calendar_revoke"),
    path("kalender/<str:token>.ics", invitations.calendar_feed, name="calendar_feed"),
]
