"""Forms for the registers. They validate; the views and services act."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .locking import INCOMPLETE_FORM, VersionedForm
from .models import Council, Membership, Organisation, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationForm(VersionedForm, forms.ModelForm):
    website = forms.URLField(label=_("Webbplats"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "website"]
        error_messages = {
            "name": {"unique": _("Det finns redan en organisation med det namnet.")},
        }


class PersonForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "title",
            "email",
            "phone",
            "organisation",
            "user",
            "active",
        ]
        help_texts = {
            "user": _("Kontot personen loggar in med. Rättigheterna följer av personens uppdrag."),
            "active": _("En inaktiv person kan inte få nya uppdrag."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only accounts no one else has (one person per account), by username.
        self.fields["user"].queryset = (
            self.fields["user"]
            .queryset.filter(Q(person__isnull=True) | Q(pk=self.instance.user_id))
            .order_by("username")
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email:
            clash = Person.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("Det finns redan en person med den e-postadressen."))
        return email


class CouncilForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Council
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "cadence",
            "publishes_protocols",
            "publishes_meeting_schedule",
            "secretariat_may_invite",
            "secretariat_may_approve_for_chair",
            "attach_kallelse",
            "adjustment_days",
            "chair_may_edit_minutes",
            "followup_reminder_days",
        ]
        help_texts = {"slug": _("Används i adressen, t.ex. regionala-samverkansradet.")}
        error_messages = {
            "name": {"unique": _("Det finns redan ett råd med det namnet.")},
            "slug": {
                "unique": _("Ett annat råd har redan den kortadressen."),
                "invalid": _(
                    "Kortadressen får bara innehålla bokstäver, siffror och bindestreck "
                    "(inga mellanslag)."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adjustment_days"].required = False
        self.fields["followup_reminder_days"].required = False

    def clean_followup_reminder_days(self):
        """Left empty: the first reminder of a pending formal decision after 30 days."""
        return (
            self.cleaned_data["followup_reminder_days"]
            or Council._meta.get_field("followup_reminder_days").default
        )

    def clean_adjustment_days(self):
        """Left empty: the Swedish practice of 14 days."""
        return (
            self.cleaned_data["adjustment_days"]
            or Council._meta.get_field("adjustment_days").default
        )


class MembershipForm(VersionedForm, forms.ModelForm):
    """A seat in one council; the council comes from the page, not from the form."""

    class Meta:
        model = Membership
        fields = [
            "person",
            "organisation",
            "role",
            "side",
            "function",
            "substitute_for",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "organisation": _("Organisationen personen företräder i rådet."),
            "substitute_for": _("Bara för ersättare: den ledamot personen ersätter."),
            "end_date": _("Lämna tomt för ett pågående uppdrag."),
        }

    def __init__(self, *args, council, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.council = council
        # Active people, and the one already on this membership even if no longer active.
        self.fields["person"].queryset = Person.objects.filter(
            Q(active=True) | Q(pk=self.instance.person_id)
        ).select_related("organisation")
        self.fields["organisation"].required = False
        self.fields["person"].label_from_instance = _person_label
        self.fields["substitute_for"].queryset = (
            Membership.objects.current()
            .filter(council=council, role__in=Membership.POSITION_ROLES)
            .exclude(pk=self.instance.pk)
            .select_related("person", "organisation")
            .order_by("organisation__name", "person__family_name")
        )
        self.fields["substitute_for"].label_from_instance = _seat_label
        if not self.instance.pk:
            self.initial.setdefault("start_date", timezone.localdate())
            if council.kind == Council.Kind.PREPARATION:
                # The RUS group's members sit in it as its preparation group (R6).
                self.initial.setdefault("role", Membership.Role.PREPARATION)

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if not cleaned.get("organisation"):
            if person and person.organisation_id:
                # A person usually represents their own organisation.
                cleaned["organisation"] = person.organisation
            elif person:
                self.add_error("organisation", _("Ange vilken organisation personen företräder."))
        substitute_for = cleaned.get("substitute_for")
        if substitute_for and cleaned.get("side") == Membership.Side.NOT_APPLICABLE:
            # A substitute stands in for one side's seat: take the side from that member.
            cleaned["side"] = substitute_for.side
        return cleaned


def _person_label(person):
    return f"{person.full_name} ({person.organisation})" if person.organisation else str(person)


def _seat_label(membership):
    side = membership.get_side_display().lower()
    return f"{membership.person.full_name}, {membership.organisation} ({side})"


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(label=_("Slutdatum"), widget=DateInput())
    # The membership's version the page showed (councils/locking.py).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.initial.setdefault("end_date", membership.end_date or timezone.localdate())
        self.initial.setdefault("version", membership.version)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is None:
            self.add_error(None, INCOMPLETE_FORM)
        return cleaned

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date <= self.membership.start_date:
            raise forms.ValidationError(_("Slutdatum måste vara efter startdatum."))
        return end_date


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök person"), required=False, max_length=100)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_("Första raden ska vara kolumnrubrikerna nedan."),
    )
