"""Forms for the strategy pages. They validate (in Swedish); views and services act."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.locking import VersionedForm
from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SubStrategy,
    TargetArea,
)


class _UniqueWithinParent:
    """The parent (strategy or plan) is not a form field, so Django skips the unique constraint
    on it; check it here to answer with a Swedish message instead of an IntegrityError."""

    unique_field = "title"
    parent_field = "plan"
    unique_message = _("Det finns redan en post med den rubriken.")

    def _check_unique(self, value):
        parent_id = getattr(self.instance, f"{self.parent_field}_id")
        lookup = {self.parent_field + "_id": parent_id, f"{self.unique_field}__iexact": value}
        duplicates = type(self.instance).objects.filter(**lookup).exclude(pk=self.instance.pk)
        if value and duplicates.exists():
            raise forms.ValidationError(self.unique_message)
        return value


class StrategyForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["name", "motto", "start_year", "end_year", "description"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Slutåret kan inte ligga före startåret."))
        return cleaned


class TargetAreaForm(VersionedForm, _UniqueWithinParent, forms.ModelForm):
    parent_field = "strategy"
    unique_message = _("Det finns redan ett målområde med den rubriken.")

    class Meta:
        model = TargetArea
        fields = ["title", "description", "position"]

    def clean_title(self):
        return self._check_unique(self.cleaned_data["title"].strip())


class StrategicPlanForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = StrategicPlan
        fields = ["year", "title", "purpose"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Ange ett år mellan 2000 och 2100."))
        duplicates = StrategicPlan.objects.filter(
            strategy_id=self.instance.strategy_id, year=year
        ).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("Det finns redan en plan för %(year)s.") % {"year": year})
        return year


class FocusAreaForm(VersionedForm, _UniqueWithinParent, forms.ModelForm):
    unique_message = _("Planen har redan ett fokusområde med den rubriken.")

    class Meta:
        model = FocusArea
        fields = ["title", "vision_2030", "capacity_needed", "position", "goals", "dimensions"]
        widgets = {
            "goals": forms.CheckboxSelectMultiple,
            "dimensions": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "vision_2030": _("Hur det ser ut år 2030 när fokusområdet har lyckats."),
            "goals": _("Agenda 2030-målen som fokusområdet bidrar till."),
        }

    def clean_title(self):
        return self._check_unique(self.cleaned_data["title"].strip())


class InfluenceIssueForm(VersionedForm, _UniqueWithinParent, forms.ModelForm):
    unique_message = _("Påverkansagendan har redan en fråga med den rubriken.")

    class Meta:
        model = InfluenceIssue
        fields = ["title", "level", "focus_area", "description", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan_id=self.instance.plan_id)
        self.fields["focus_area"].empty_label = _("– inget fokusområde –")

    def clean_title(self):
        return self._check_unique(self.cleaned_data["title"].strip())


class InfluenceIssueStatusForm(VersionedForm, forms.ModelForm):
    """In an adopted plan only the status of an issue follows the work during the year."""

    class Meta:
        model = InfluenceIssue
        fields = ["status"]


class SubStrategyForm(VersionedForm, _UniqueWithinParent, forms.ModelForm):
    unique_field = "name"
    parent_field = "strategy"
    unique_message = _("Det finns redan en understrategi eller ett program med det namnet.")

    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = SubStrategy
        fields = ["name", "owner", "url", "description"]

    def clean_name(self):
        return self._check_unique(self.cleaned_data["name"].strip())


class AdoptPlanForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Fastställd den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"adopted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_adopted_on(self):
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return adopted_on


class ComparePlansForm(forms.Form):
    """Choose two versions of the plan; the field names are the Swedish query parameters."""

    fran = forms.ModelChoiceField(queryset=StrategicPlan.objects.none(), label=_("Från version"))
    till = forms.ModelChoiceField(queryset=StrategicPlan.objects.none(), label=_("Till version"))

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("fran", "till"):
            self.fields[name].queryset = plans
            self.fields[name].label_from_instance = _plan_label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fran") and cleaned.get("fran") == cleaned.get("till"):
            raise forms.ValidationError(_("Välj två olika versioner att jämföra."))
        return cleaned


def _plan_label(plan):
    return f"{plan.year} – {plan.get_status_display().lower()}"
