"""Forms of the minute-taking page: they validate and return domain values; services act."""

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.locking import VersionedForm
from councils.models import Membership, Organisation, Person
from meetings.forms.agenda import setup_rus_link_fields

from .models import Attendance, HomeDecision, ProtocolEntry


class EntryForm(VersionedForm, forms.ModelForm):
    """What was said and the outcome of one § (R10), with the version the writer started from
    (councils/locking.py): a save on an older version shows both texts and keeps what was
    typed."""

    class Meta:
        model = ProtocolEntry
        fields = ["minutes", "outcome", "outcome_text"]
        labels = {
            "minutes": _("Protokollstext"),
            "outcome": _("Utfall"),
            "outcome_text": _("Beslutstext"),
        }
        help_texts = {
            "minutes": _("Vad som sades och presenterades, och av vem."),
            "outcome_text": _(
                "Vid konsensus: ställningstagandet ordagrant. Vid ingen konsensus: skälet "
                "(ärendet går tillbaka till RUS-gruppen)."
            ),
        }
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "outcome_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, instance, **kwargs):
        kwargs.setdefault("prefix", f"entry-{instance.pk}")
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Utfall"),
            required=False,
            choices=[("", _("Inget utfall ännu")), *instance.outcome_choices],
        )

    def _post_clean(self):
        # The service validates and writes (under lock); the form only returns values.
        pass


class AddEntryForm(forms.ModelForm):
    """Övrig fråga: an item raised at the meeting, with its kind and RUS link (R12)."""

    class Meta:
        model = ProtocolEntry
        fields = [
            "title",
            "kind",
            "focus_area",
            "influence_issue",
            "target_area",
            "background",
            "presenter_name",
        ]
        labels = {
            "title": _("Rubrik"),
            "kind": _("Typ av ärende"),
            "background": _("Bakgrund"),
            "presenter_name": _("Föredragande"),
        }
        widgets = {"background": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        setup_rus_link_fields(self.fields)

    def clean(self):
        data = super().clean()
        if data.get("kind") == ProtocolEntry.Kind.POSITION and not (
            data.get("focus_area") or data.get("influence_issue") or data.get("target_area")
        ):
            self.add_error(
                "focus_area", _("Ett ställningstagande behöver en koppling till RUS (R12 b).")
            )
        return data


class StrikeForm(forms.Form):
    struck_reason = forms.CharField(label=_("Skäl till att punkten utgår"), max_length=500)


class AttendanceForm(forms.Form):
    present = forms.BooleanField(label=_("Närvarande"), required=False)
    capacity = forms.ChoiceField(label=_("I egenskap av"), choices=Attendance.Capacity.choices)
    from_number = forms.IntegerField(label=_("Från §"), required=False, min_value=1)
    to_number = forms.IntegerField(label=_("Till §"), required=False, min_value=1)

    def __init__(self, *args, attendance=None, **kwargs):
        if attendance is not None:
            kwargs.setdefault("prefix", f"attendance-{attendance.pk}")
            kwargs.setdefault(
                "initial",
                {
                    "present": attendance.present,
                    "capacity": attendance.capacity,
                    "from_number": attendance.from_number,
                    "to_number": attendance.to_number,
                },
            )
        super().__init__(*args, **kwargs)


class AddAttendeeForm(forms.Form):
    """Someone who came unannounced: from the registers, or by name."""

    person = forms.ModelChoiceField(
        label=_("Person i registret"),
        queryset=Person.objects.active().order_by("family_name", "given_name"),
        required=False,
        empty_label="–",
    )
    name = forms.CharField(label=_("eller namn"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label="–",
    )
    capacity = forms.ChoiceField(label=_("I egenskap av"), choices=Attendance.Capacity.choices)
    side = forms.ChoiceField(
        label=_("Sida"), choices=Membership.Side.choices, initial=Membership.Side.NOT_APPLICABLE
    )
    from_number = forms.IntegerField(label=_("Ankom till §"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            self.add_error("name", _("Välj en person i registret eller skriv ett namn."))
        return data


class DissentForm(forms.Form):
    """A dissent minuted on request (R11), for a present ledamot or tjänstgörande ersättare."""

    attendance = forms.ModelChoiceField(label=_("Ledamot"), queryset=Attendance.objects.none())
    text = forms.CharField(label=_("Avvikande synpunkt"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].queryset = entry.protocol.attendance.filter(
            present=True, capacity__in=Attendance.DISSENT_CAPACITIES
        ).order_by("organisation_name", "name")
        self.fields["attendance"].label_from_instance = lambda a: (
            f"{a.name}, {a.organisation_name}" if a.organisation_name else a.name
        )


class ExpectedDissentForm(forms.Form):
    """One action on an expected dissent: record it as a member's dissent, or mark it as not
    raised (framfördes inte)."""

    RECORD, WITHDRAW = "record", "withdraw"

    action = forms.ChoiceField(choices=[(RECORD, RECORD), (WITHDRAW, WITHDRAW)])
    attendance = forms.ModelChoiceField(
        label=_("Ledamot"), queryset=Attendance.objects.none(), required=False
    )
    text = forms.CharField(label=_("Avvikande synpunkt"), required=False, widget=forms.Textarea)

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].queryset = entry.protocol.attendance.filter(
            present=True, capacity__in=Attendance.DISSENT_CAPACITIES
        )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.RECORD and not data.get("attendance"):
            self.add_error("attendance", _("Välj den ledamot som framför synpunkten."))
        return data


class DissentTextForm(forms.Form):
    text = forms.CharField(label=_("Avvikande synpunkt"), widget=forms.Textarea(attrs={"rows": 4}))


class AdjustersForm(forms.Form):
    adjusters = forms.ModelMultipleChoiceField(
        label=_("Justerare"),
        queryset=Attendance.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("En eller två närvarande ledamöter; de justerar protokollet med ordföranden."),
    )

    def __init__(self, *args, entry, **kwargs):
        kwargs.setdefault("prefix", f"adjusters-{entry.pk}")
        super().__init__(*args, **kwargs)
        self.fields["adjusters"].queryset = entry.protocol.attendance.filter(
            present=True, capacity__in=Attendance.DISSENT_CAPACITIES
        )
        self.fields["adjusters"].label_from_instance = lambda a: (
            f"{a.name}, {a.organisation_name}" if a.organisation_name else a.name
        )

    def clean_adjusters(self):
        chosen = self.cleaned_data["adjusters"]
        if not 1 <= len(chosen) <= 2:
            raise forms.ValidationError(_("Välj en eller två justerare."))
        return chosen


def home_decision_value(post, row):
    value = post.get(f"home-{row.pk}")
    return value if value in HomeDecision.Expected.values else None


# --- Justering --------------------------------------------------------------------------------


class SendForAdjustmentForm(forms.Form):
    adjust_by = forms.DateField(
        label=_("Justeras senast"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )


class ApproveForm(forms.Form):
    """Jag justerar protokollet: with the checksum of the content the page showed."""

    checksum = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Ladda om sidan och justera igen.")},
    )
    confirm = forms.BooleanField(
        label=_("Jag har läst protokollet och justerar det."),
        error_messages={"required": _("Bekräfta att du har läst protokollet.")},
    )


class PaperSignatureForm(forms.Form):
    """The secretariat records a signature on paper: the day it was signed, on the printout of
    the version whose checksum the page showed (R8)."""

    checksum = forms.RegexField(
        regex=r"^[0-9a-f]{64}$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("Ladda om sidan och försök igen.")},
    )
    signed_on = forms.DateField(
        label=_("Undertecknat den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Ange vilken dag protokollet undertecknades."),
            "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Jag har den undertecknade utskriften av den här versionen"),
        error_messages={
            "required": _("Bekräfta att du har den undertecknade utskriften av den här versionen.")
        },
    )

    def __init__(self, *args, signatory, **kwargs):
        super().__init__(*args, prefix=f"papper-{signatory.pk}", **kwargs)
        self.signatory = signatory


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en kommentar.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Svar"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv ett svar.")},
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Vad rättas?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Rättelsen blir en ny version av protokollet som justeras på nytt."),
        error_messages={"required": _("Ange vad rättelsen gäller.")},
    )
