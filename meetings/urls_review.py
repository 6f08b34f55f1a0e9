"""URL patterns for the review part of the meetings app (included by meetings/urls.py).

Item proposals (R9) and the RUS group's queue (R6); "Mina möten", expected dissent and questions
before the meeting (R11); the matrix of organisations × position items.
"""

from django.urls import path

from meetings.views import proposals, review

urlpatterns = [
    path("forslag/", proposals.proposal_list, name="proposal_list"),
    path("forslag/nytt/", proposals.proposal_create, name="proposal_create"),
    path("forslag/beredning/", proposals.proposal_queue, name="proposal_queue"),
    path("forslag/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path(
        "forslag/<int:pk>/bilagor/<int:attachment_pk>/",
        proposals.proposal_attachment,
        name="proposal_attachment",
    ),
    path("forslag/<int:pk>/anta/", proposals.proposal_accept, name="proposal_accept"),
    path("forslag/<int:pk>/skjut-upp/", proposals.proposal_defer, name="proposal_defer"),
    path("forslag/<int:pk>/avsla/", proposals.proposal_decline, name="proposal_decline"),
    path("mina-moten/", review.my_meetings, name="my_meetings"),
    path("mina-moten/<int:pk>/", review.my_meeting, name="my_meeting"),
    path(
        "mina-moten/punkt/<int:item_pk>/forhandsbesked/",
        review.review_record,
        name="review_record",
    ),
    path("mina-moten/punkt/<int:item_pk>/fraga/", review.question_ask, name="question_ask"),
    path("granskning/<int:meeting_pk>/", review.review_matrix, name="review_matrix"),
    path("granskning/<int:meeting_pk>/fragor/", review.review_questions, name="review_questions"),
    path("granskning/fragor/<int:pk>/svara/", review.question_answer, name="question_answer"),
]
