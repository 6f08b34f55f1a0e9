"""Reads: what pages, mails and services compute from queries, by topic (HackSoft's selectors).

- `meetings`: the meeting list and page (agenda, rights, approval problems), upcoming meetings.
- `review`: "Mina möten", the review matrix and questions (R11), the review panel.
- `proposals`: the proposer's list and the RUS group's queue (R6, R9).
- `invitations`: recipients, progress, pending changes, the invitation panel (R7).

Selectors read and never write; they may call `meetings.access` (what the user may see) and
`meetings.schedule`, never services, views or tasks.
"""
