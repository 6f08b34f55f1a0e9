"""Forms for item proposals (R9) and the RUS group's decisions on them (R6)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from councils.locking import INCOMPLETE_FORM
from councils.models import Organisation
from meetings.forms.agenda import setup_rus_link_fields
from meetings.models import ItemProposal, Meeting
from meetings.uploads import upload_help_text, validate_upload

RUS_LINK_REQUIRED = _(
    "Ange hur ärendet hänger ihop med RUS: välj ett fokusområde, ett målområde eller en "
    "påverkansfråga."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by meetings.uploads.validate_upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        files = [
            super(MultipleFileField, self).clean(upload, initial) for upload in uploads if upload
        ]
        errors = []
        for uploaded in files:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                errors.extend(f"{uploaded.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting} – {meeting.council}"


class ItemProposalForm(forms.ModelForm):
    """A member proposes an item on behalf of an organisation they currently represent (R9)."""

    attachments = MultipleFileField(
        label=_("Bilagor"),
        help_text=lazy(
            lambda: (
                _("Bakgrundsmaterial eller underlag. %(allowed)s") % {"allowed": upload_help_text()}
            ),
            str,
        )(),
    )

    class Meta:
        model = ItemProposal
        fields = [
            "organisation",
            "title",
            "kind",
            "focus_area",
            "target_area",
            "influence_issue",
            "background",
            "questions",
            "wished_meeting",
        ]
        labels = {
            "organisation": _("Förslagsställande organisation"),
            "title": _("Rubrik"),
            "kind": _("Typ av ärende"),
            "focus_area": _("Fokusområde"),
            "target_area": _("Målområde"),
            "influence_issue": _("Påverkansfråga"),
            "background": _("Bakgrund"),
            "questions": _("Frågeställningar"),
        }
        widgets = {
            "background": forms.Textarea(attrs={"rows": 6}),
            "questions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _("Informationsärende eller ärende där rådet ska ta ställning."),
            "focus_area": _("Välj minst ett av fokusområde, påverkansfråga och målområde."),
            "background": _(
                "Bakgrund till ärendet. Bakgrund eller frågeställningar, minst det ena."
            ),
            "questions": _("Specifika frågor som rådet ska diskutera."),
        }

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(pk__in=roles.organisation_ids)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["wished_meeting"] = MeetingChoiceField(
            queryset=Meeting.objects.open_for_proposals(roles.council_ids),
            required=False,
            label=_("Önskat sammanträde"),
            empty_label=_("Inget särskilt (nästa lämpliga)"),
        )
        setup_rus_link_fields(self.fields)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ("focus_area", "target_area", "influence_issue")):
            raise ValidationError(RUS_LINK_REQUIRED, code="rus_link")
        return cleaned


class DecisionForm(forms.Form):
    """A decision on a proposal carries the proposal's version the queue page showed: a decision
    made on a page from before someone else's is refused (councils/locking.py)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is None:
            self.add_error(None, INCOMPLETE_FORM)
        return cleaned


class AcceptProposalForm(DecisionForm):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label=_("Till sammanträde"), empty_label=None
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.open_for_proposals()
        self.fields["meeting"].queryset = meetings
        wished = proposal.deferred_to_id or proposal.wished_meeting_id
        if wished:
            self.fields["meeting"].initial = wished


class DeferProposalForm(DecisionForm):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(), label=_("Skjut upp till"), empty_label=None
    )
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Förslagsställaren ser motiveringen."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.open_for_proposals()
        current = proposal.deferred_to or proposal.wished_meeting
        if current is not None:
            meetings = meetings.filter(starts_at__gt=current.starts_at)
        self.fields["meeting"].queryset = meetings


class DeclineProposalForm(DecisionForm):
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs. Förslagsställaren ser motiveringen."),
        error_messages={"required": _("Skriv varför förslaget avslås.")},
    )

    def __init__(self, *args, proposal=None, **kwargs):
        # Built like the other decision forms (the view passes the proposal to each); a
        # decline needs only its reason.
        super().__init__(*args, **kwargs)
