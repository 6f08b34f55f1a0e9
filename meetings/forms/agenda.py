"""Forms for agenda items and their attachments (R7, R12, R14)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councils.locking import VersionedForm
from councils.models import Organisation, Person
from meetings.models import AgendaItem
from meetings.uploads import ALLOWED_EXTENSIONS, upload_help_text, validate_upload
from rus.models import FocusArea, InfluenceIssue, TargetArea

ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


class DocumentField(forms.FileField):
    """A file field that runs the upload checks (type by extension and content, size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", lazy(upload_help_text, str)())
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data:
            validate_upload(data)
        return data


class PlanYearChoiceIterator(ModelChoiceIterator):
    """Choices grouped by the strategic plan's year (`<optgroup label="Strategisk plan 2027">`),
    newest plan first: focus areas and influence issues of several plans side by side in one
    select would otherwise read as one list of near-duplicates (R13: one plan per year)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups = {}
        for obj in self.queryset:
            groups.setdefault(obj.plan.year, []).append(self.choice(obj))
        for year, choices in groups.items():
            yield (gettext("Strategisk plan %(year)s") % {"year": year}, choices)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


def setup_rus_link_fields(fields):
    """Choices for the RUS link (R12 b) on items and proposals: the newest plan's focus areas and
    influence issues first, grouped by plan year; target areas in the RUS's order."""
    for name in ("focus_area", "influence_issue"):
        # Before the queryset: setting it hands the widget its choices from this iterator.
        fields[name].iterator = PlanYearChoiceIterator
        fields[name].label_from_instance = lambda obj: obj.title
    fields["focus_area"].queryset = FocusArea.objects.select_related("plan").order_by(
        "-plan__year", "position", "title"
    )
    fields["influence_issue"].queryset = InfluenceIssue.objects.select_related("plan").order_by(
        "-plan__year", "title"
    )
    fields["target_area"].queryset = TargetArea.objects.order_by("position", "title")
    for name in ("focus_area", "influence_issue", "target_area"):
        fields[name].empty_label = "–"


class AgendaItemForm(VersionedForm, forms.ModelForm):
    """All fields of an item (R12 a–c), presenter from the registers or external (R7), tags (R14),
    and an optional first attachment; a refused attachment keeps the rest of what was typed.
    Carries the item's version: a save from a stale form is refused (VersionedForm)."""

    attachment = DocumentField(label=_("Bilaga"), required=False)
    attachment_title = forms.CharField(
        label=_("Bilagans rubrik"),
        max_length=250,
        required=False,
        help_text=_("Lämna tomt för att använda filnamnet."),
    )

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "kind",
            "focus_area",
            "influence_issue",
            "target_area",
            "background",
            "questions",
            "presenter",
            "presenter_name",
            "presenter_email",
            "proposing_organisation",
            "estimated_minutes",
            "goals",
            "dimensions",
        ]
        labels = {
            "title": _("Rubrik"),
            "kind": _("Typ av ärende"),
            "focus_area": _("Fokusområde"),
            "influence_issue": _("Påverkansfråga"),
            "target_area": _("Målområde"),
            "background": _("Bakgrund"),
            "questions": _("Frågeställningar"),
            "presenter": _("Föredragande ur registret"),
            "presenter_name": _("eller: extern föredragande, namn"),
            "presenter_email": _("Extern föredragandes e-post"),
            "proposing_organisation": _("Förslagsställande organisation"),
            "estimated_minutes": _("Beräknad tid (minuter)"),
            "goals": _("Agenda 2030-mål"),
            "dimensions": _("Hållbarhetsdimensioner"),
        }
        help_texts = {
            "kind": _("Informationsärende eller ställningstagande."),
            "focus_area": _(
                "Koppling till RUS: välj fokusområde, påverkansfråga "
                "eller målområde. Krävs för ställningstaganden."
            ),
            "background": _(
                "Underlag för ärendet. Ett ställningstagande måste ha bakgrund innan "
                "dagordningen kan godkännas."
            ),
            "questions": _("Särskilda frågor som rådet ska ta ställning till eller diskutera."),
            "presenter_name": _(
                "Den som inte finns i registret: ange namn och e-post så kan kallelsen nå hen."
            ),
        }
        widgets = {
            "goals": forms.CheckboxSelectMultiple,
            "dimensions": forms.CheckboxSelectMultiple,
            "background": forms.Textarea(attrs={"rows": 6}),
            "questions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        setup_rus_link_fields(self.fields)
        self.fields["presenter"].queryset = Person.objects.active().select_related("organisation")
        self.fields["presenter"].label_from_instance = _person_label
        self.fields["proposing_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["presenter"].empty_label = "–"
        self.fields["proposing_organisation"].empty_label = "–"
        if self.instance.pk and self.instance.is_standing:
            # Standing items are formalities: kind and RUS links do not apply.
            for name in ("kind", "focus_area", "influence_issue", "target_area"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        presenter = cleaned.get("presenter")
        name = (cleaned.get("presenter_name") or "").strip()
        email = cleaned.get("presenter_email") or ""
        if presenter and (name or email):
            self.add_error(
                "presenter_name",
                _("Välj antingen en föredragande ur registret eller ange en extern, inte båda."),
            )
        elif email and not name:
            self.add_error("presenter_name", _("Ange namnet på den externa föredraganden."))
        elif name and not email:
            self.add_error(
                "presenter_email",
                _("Ange e-postadress till den externa föredraganden så att kallelsen når hen."),
            )
        return cleaned

    def item_fields(self):
        """The model fields as keyword arguments for the agenda services."""
        data = {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name in self.fields and name not in ("goals", "dimensions")
        }
        data["goals"] = list(self.cleaned_data.get("goals") or [])
        data["dimensions"] = list(self.cleaned_data.get("dimensions") or [])
        return data


def _person_label(person):
    if person.organisation_id:
        return f"{person.full_name}, {person.organisation}"
    return person.full_name


class AttachmentForm(forms.Form):
    file = DocumentField(label=_("Fil"))
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=250,
        required=False,
        help_text=_("Lämna tomt för att använda filnamnet."),
    )


class ReplaceAttachmentForm(forms.Form):
    file = DocumentField(label=_("Ny version av filen"))


class ShownOrderForm(forms.Form):
    """The order of the movable items as the page showed it (`locking.order_token`): a move or
    reorder from a page built before someone else's is refused."""

    shown_order = forms.CharField(widget=forms.HiddenInput)


class ReorderForm(ShownOrderForm):
    order = forms.CharField(widget=forms.HiddenInput)

    def clean_order(self):
        try:
            return [int(pk) for pk in self.cleaned_data["order"].split(",") if pk.strip()]
        except ValueError:
            raise forms.ValidationError(_("Ogiltig ordning.")) from None


class MoveForm(ShownOrderForm):
    direction = forms.ChoiceField(choices=[("up", _("Upp")), ("down", _("Ned"))])
