"""Forms of the follow-up pages: the matrix filter and a row's decision (R10)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from councils.locking import VersionedForm
from meetings.forms.agenda import DocumentField

from .models import FollowUp
from .selectors import Filters


class FollowUpForm(VersionedForm, forms.ModelForm):
    """An organisation's formal decision after a position. The document is checked like an
    agenda attachment (type by extension and content, size)."""

    link = forms.URLField(
        label=_("Länk till beslutet"), max_length=500, required=False, assume_scheme="https"
    )
    new_document = DocumentField(label=_("Beslutsdokument"), required=False)
    remove_document = forms.BooleanField(
        label=_("Ta bort det uppladdade dokumentet"), required=False
    )

    class Meta:
        model = FollowUp
        fields = [
            "expected",
            "state",
            "deciding_body",
            "decision_date",
            "reference",
            "link",
            "comment",
        ]
        widgets = {
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.document:
            del self.fields["remove_document"]

    def values(self):
        """The editable fields as the service takes them."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MatrixFilterForm(forms.Form):
    """The matrix's filters, from the query string: council, year, focus area, only pending."""

    rad = forms.ChoiceField(label=_("Råd"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    fokus = forms.TypedChoiceField(
        label=_("Fokusområde"), required=False, coerce=int, empty_value=None
    )
    vantande = forms.BooleanField(label=_("Bara väntande beslut"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = {council.slug: council for council in choices["councils"]}
        self.focus_areas = {area.pk: area for area in choices["focus_areas"]}
        self.fields["rad"].choices = [("", _("Alla råd"))] + [
            (council.slug, council.name) for council in choices["councils"]
        ]
        self.fields["ar"].choices = [("", _("Alla år"))] + [
            (year, str(year)) for year in choices["years"]
        ]
        self.fields["fokus"].choices = [("", _("Alla fokusområden"))] + [
            (area.pk, f"{area.title} ({area.plan.year})") for area in choices["focus_areas"]
        ]

    def filters(self):
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            council=self.councils.get(data.get("rad") or ""),
            year=data.get("ar"),
            focus_area=self.focus_areas.get(data.get("fokus")),
            only_pending=bool(data.get("vantande")),
        )


class ReportFilterForm(forms.Form):
    """The coverage report's year and council (all councils by default)."""

    ar = forms.TypedChoiceField(label=_("År"), coerce=int)
    rad = forms.ChoiceField(label=_("Råd"), required=False)

    def __init__(self, *args, years, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_year = years[0]
        self.councils = {council.slug: council for council in councils}
        self.fields["ar"].choices = [(year, str(year)) for year in years]
        self.fields["ar"].initial = self.default_year
        self.fields["rad"].choices = [("", _("Alla råd"))] + [
            (council.slug, council.name) for council in councils
        ]

    def choice(self):
        """(year, council or None); the defaults where the query string cannot be read."""
        if not self.is_bound or not self.is_valid():
            return self.default_year, None
        return self.cleaned_data["ar"], self.councils.get(self.cleaned_data.get("rad") or "")
