"""Forms for the online review before the meeting (R11) and questions to the secretariat."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation
from meetings.models import ItemReview


class ItemReviewForm(forms.Form):
    """An organisation's answer on one position item: anchored at home, expected dissent (R11).

    Rendered by hand in the review templates (one per item on a page), validated here.
    """

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation"), empty_label=None
    )
    anchored = forms.ChoiceField(
        label=_("Förankrat i den egna organisationen"),
        choices=[("", _("– välj –")), *ItemReview.Anchored.choices],
        error_messages={"required": _("Ange om ärendet är förankrat hemma.")},
    )
    expects_dissent = forms.TypedChoiceField(
        label=_("Förväntar ni en avvikande synpunkt?"),
        choices=[("no", _("Nej")), ("yes", _("Ja"))],
        coerce=lambda value: value == "yes",
        initial="no",
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, organisation_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=organisation_ids)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expects_dissent") and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Beskriv kort den avvikande synpunkten."))
        return cleaned


class ItemQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Fråga till kansliet"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv din fråga.")},
    )


class AnswerQuestionForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv ett svar.")},
    )

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise ValidationError(_("Skriv ett svar."))
        return answer
