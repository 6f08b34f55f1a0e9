"""URL patterns for the agenda part of the meetings app (included by meetings/urls.py)."""

from django.urls import path

from meetings.views import agenda, attachments, kallelse, meetings

urlpatterns = [
    path("moten/", meetings.meeting_list, name="meeting_list"),
    path("moten/nytt/", meetings.meeting_create, name="meeting_create"),
    path("moten/planera-serie/", meetings.meeting_series, name="meeting_series"),
    path("moten/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", meetings.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/status/", meetings.meeting_status, name="meeting_status"),
    path("moten/<int:pk>/kallelse/", meetings.agenda_preview, name="agenda_preview"),
    path("moten/<int:pk>/kallelse.pdf", kallelse.agenda_pdf, name="agenda_pdf"),
    path(
        "moten/<int:pk>/kallelse-med-handlingar/", kallelse.kallelse, name="kallelse_med_handlingar"
    ),
    path("moten/<int:pk>/beredd/", agenda.agenda_hand_over, name="agenda_hand_over"),
    path("moten/<int:pk>/godkann/", agenda.agenda_approve, name="agenda_approve"),
    path("moten/<int:pk>/oppna-igen/", agenda.agenda_reopen, name="agenda_reopen"),
    path("moten/<int:pk>/ordning/", agenda.agenda_reorder, name="agenda_reorder"),
    path("moten/<int:pk>/punkter/ny/", agenda.item_create, name="item_create"),
    path("moten/<int:pk>/punkter/<int:item_pk>/", agenda.item_detail, name="item_detail"),
    path("moten/<int:pk>/punkter/<int:item_pk>/andra/", agenda.item_edit, name="item_edit"),
    path("moten/<int:pk>/punkter/<int:item_pk>/ta-bort/", agenda.item_delete, name="item_delete"),
    path("moten/<int:pk>/punkter/<int:item_pk>/flytta/", agenda.item_move, name="item_move"),
    path(
        "moten/<int:pk>/punkter/<int:item_pk>/beredd/", agenda.item_prepared, name="item_prepared"
    ),
    path(
        "moten/<int:pk>/punkter/<int:item_pk>/bilagor/",
        attachments.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "moten/<int:pk>/bilagor/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path(
        "moten/<int:pk>/bilagor/<int:attachment_pk>/version/<int:number>/",
        attachments.attachment_download,
        name="attachment_version",
    ),
    path(
        "moten/<int:pk>/bilagor/<int:attachment_pk>/ersatt/",
        attachments.attachment_replace,
        name="attachment_replace",
    ),
    path(
        "moten/<int:pk>/bilagor/<int:attachment_pk>/ta-bort/",
        attachments.attachment_delete,
        name="attachment_delete",
    ),
]
