"""Forms for invitations: the chair's note, updates, cancellation and replies (R7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import Invitation
from meetings.selectors.invitations import substitutes_for


class PersonalNoteForm(forms.Form):
    """The chair's personal note, shown at the top of the invitation, update or cancellation."""

    personal_note = forms.CharField(
        label=_("Personlig hälsning (valfri)"),
        help_text=_("Visas överst i meddelandet till alla mottagare."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReplyForm(forms.Form):
    """Attending, not attending, or a substitute attends (one of the member's, or named)."""

    reply = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=Invitation.Reply.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett svar.")},
    )
    substitute_membership = forms.ModelChoiceField(
        label=_("Ersättare"),
        queryset=None,
        required=False,
        empty_label=_("Välj ersättare"),
    )
    substitute_name = forms.CharField(
        label=_("Eller namnge den som deltar i stället"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        substitutes = substitutes_for(invitation)
        field = self.fields["substitute_membership"]
        field.queryset = substitutes
        field.label_from_instance = lambda membership: (
            f"{membership.person.full_name}, {membership.organisation.name}"
        )
        field.queryset = substitutes.select_related("organisation")
        self.has_substitutes = substitutes.exists()
        if not self.has_substitutes:
            del self.fields["substitute_membership"]
            self.fields["substitute_name"].label = _("Namn på den som deltar i stället")
        if invitation.reply:
            self.initial.setdefault("reply", invitation.reply)
            if invitation.substitute_membership_id and self.has_substitutes:
                self.initial.setdefault("substitute_membership", invitation.substitute_membership)
            self.initial.setdefault("substitute_name", invitation.substitute_name)

    def clean(self):
        data = super().clean()
        if data.get("reply") == Invitation.Reply.SUBSTITUTE:
            if (
                not data.get("substitute_membership")
                and not data.get("substitute_name", "").strip()
            ):
                raise forms.ValidationError(
                    _("Välj en ersättare eller skriv namnet på den som deltar i stället.")
                )
        else:
            data["substitute_membership"] = None
            data["substitute_name"] = ""
        return data
