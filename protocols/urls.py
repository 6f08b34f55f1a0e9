from django.urls import path

from . import views, views_justering

app_name = "protocols"

# Under the meeting: /moten/<pk>/protokoll/…
urlpatterns = [
    path("moten/<int:pk>/protokoll/", views.draft, name="draft"),
    path("moten/<int:pk>/protokoll/oppna/", views.protocol_open, name="open"),
    path("moten/<int:pk>/protokoll/protokollfor/", views.minutes, name="minutes"),
    path("moten/<int:pk>/protokoll/paragraf/ny/", views.entry_add, name="entry_add"),
    path("moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/", views.entry_save, name="entry_save"),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/utgar/",
        views.entry_strike,
        name="entry_strike",
    ),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/justerare/",
        views.entry_adjusters,
        name="entry_adjusters",
    ),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/beslut-hemma/",
        views.entry_home_decisions,
        name="entry_home_decisions",
    ),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/avvikande/",
        views.dissent_record,
        name="dissent_record",
    ),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/forvantad/<int:review_pk>/",
        views.expected_dissent,
        name="expected_dissent",
    ),
    path(
        "moten/<int:pk>/protokoll/paragraf/<int:entry_pk>/min-synpunkt/",
        views.dissent_hand_in,
        name="dissent_hand_in",
    ),
    path(
        "moten/<int:pk>/protokoll/avvikande/<int:dissent_pk>/",
        views.dissent_edit,
        name="dissent_edit",
    ),
    path("moten/<int:pk>/protokoll/narvaro/", views.attendance, name="attendance"),
    path("moten/<int:pk>/protokoll/narvaro/ny/", views.attendance_add, name="attendance_add"),
    path(
        "moten/<int:pk>/protokoll/narvaro/<int:attendance_pk>/",
        views.attendance_save,
        name="attendance_save",
    ),
    # Justering, per version (a correction is version 2, 3 …)
    path(
        "moten/<int:pk>/protokoll/v<int:version>/", views_justering.justering_page, name="justering"
    ),
    path("moten/<int:pk>/protokoll/v<int:version>/skicka/", views_justering.send, name="send"),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/justera/", views_justering.approve, name="approve"
    ),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/papper/<int:signatory_pk>/",
        views_justering.paper_signature,
        name="paper_signature",
    ),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/paragraf/<int:entry_pk>/kommentar/",
        views_justering.comment,
        name="comment",
    ),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/kommentar/<int:comment_pk>/svar/",
        views_justering.answer,
        name="answer",
    ),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/rattelse/", views_justering.correct, name="correct"
    ),
    path(
        "moten/<int:pk>/protokoll/v<int:version>/justeringslogg/", views_justering.log, name="log"
    ),
]
