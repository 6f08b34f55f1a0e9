"""Forms for creating, editing and planning meetings (R4)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from councils.locking import VersionedForm
from councils.models import Council
from meetings.calendar_days import day_remark, questionable_days
from meetings.models import Meeting
from meetings.services.agenda import series_dates

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class MeetingForm(VersionedForm, forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Börjar"), widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label=_("Slutar"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("Ett strategiskt planeringsmöte lunch till lunch slutar dagen efter."),
    )

    video_link = forms.URLField(
        label=_("Länk till digitalt möte"),
        required=False,
        assume_scheme="https",
        help_text=_("Till exempel en Teams- eller Zoom-länk."),
    )

    confirm_day = forms.BooleanField(
        label=_("Ja, mötet ska hållas den dagen"),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = ["council", "kind", "title", "starts_at", "ends_at", "place", "video_link"]
        labels = {"council": _("Råd"), "kind": _("Mötestyp"), "title": _("Rubrik")}
        help_texts = {
            "place": _("Lämna tomt för ett digitalt möte."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.exclude(kind=Council.Kind.PREPARATION)
        self.fields["council"].empty_label = _("Välj råd")
        if self.instance.pk:
            # Moving a meeting to another council would change who sees it; plan a new one.
            self.fields["council"].disabled = True

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Mötet måste sluta efter att det börjat."))
        elif starts_at and ends_at:
            self._warn_about_days(starts_at, ends_at, confirmed=cleaned.get("confirm_day"))
        return cleaned

    def _warn_about_days(self, starts_at, ends_at, *, confirmed):
        """A weekend or a public holiday: said, and saved only once the planner confirms. A
        meeting whose time did not change is not asked about again."""
        if self.instance.pk and not {"starts_at", "ends_at"} & set(self.changed_data):
            return
        self.day_remarks = questionable_days(
            timezone.localdate(starts_at), timezone.localdate(ends_at)
        )
        if self.day_remarks and not confirmed:
            self.add_error(
                "confirm_day",
                " ".join(remark.sentence for remark in self.day_remarks)
                + " "
                + _("Bocka i rutan om mötet ska hållas ändå."),
            )

    @property
    def asks_to_confirm_day(self):
        """The confirmation box is shown once a warning was given (and kept checked after)."""
        return bool(getattr(self, "day_remarks", None)) or bool(self["confirm_day"].value())


class SeriesForm(forms.Form):
    """Plan a series of meetings, e.g. monthly for a term (R4). The user then unticks the dates
    to skip in the preview (the field `dates`)."""

    council = forms.ModelChoiceField(
        label=_("Råd"),
        queryset=Council.objects.exclude(kind=Council.Kind.PREPARATION),
        empty_label=_("Välj råd"),
    )
    kind = forms.ChoiceField(label=_("Mötestyp"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Rubrik"), max_length=200, initial=_("Månadsmöte"))
    first_date = forms.DateField(
        label=_("Första mötesdag"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Börjar klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=datetime.time(9, 0),
    )
    end_time = forms.TimeField(
        label=_("Slutar klockan"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        initial=datetime.time(11, 0),
    )
    pattern = forms.ChoiceField(
        label=_("Upprepa"),
        choices=[
            ("weekday", _("Samma veckodag i månaden (t.ex. andra torsdagen)")),
            ("date", _("Samma datum varje gång")),
        ],
        initial="weekday",
        widget=forms.RadioSelect,
    )
    interval_months = forms.IntegerField(
        label=_("Månader mellan mötena"),
        help_text=_("1 = varje månad, 2 = varannan månad."),
        min_value=1,
        max_value=12,
        initial=1,
    )
    count = forms.IntegerField(
        label=_("Antal möten"), min_value=1, max_value=60, required=False, initial=12
    )
    until = forms.DateField(
        label=_("eller: sista möjliga mötesdag"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Fyll i antal möten, ett slutdatum eller båda: serien slutar vid det som kommer först."
        ),
    )
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Länk till digitalt möte"), required=False, assume_scheme="https"
    )
    dates = forms.MultipleChoiceField(
        label=_("Möten som skapas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bocka ur de datum som ska hoppas över (lov, helger, krockar)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed_dates = []
        self.date_remarks = {}
        if self.is_bound:
            self.proposed_dates = self._dates_from_data()
            self.date_remarks = {d: day_remark(d) for d in self.proposed_dates}
            self.fields["dates"].choices = [
                (d.isoformat(), _date_label(d, self.date_remarks[d])) for d in self.proposed_dates
            ]

    def _dates_from_data(self):
        """The dates the series would cover, from the raw data, so the checkboxes can be built
        before validation (invalid input simply gives no dates)."""
        field = self.fields["first_date"]
        try:
            first = field.clean(
                field.widget.value_from_datadict(self.data, self.files, "first_date")
            )
            interval = int(self.data.get("interval_months") or 1)
            count = self.data.get("count") or None
            until = self.data.get("until") or None
            count = int(count) if count else None
            until = datetime.date.fromisoformat(until) if until else None
        except (forms.ValidationError, ValueError, TypeError):
            return []
        if first is None or not 1 <= interval <= 12 or (count is None and until is None):
            return []
        if count is not None and not 1 <= count <= 60:
            return []
        return series_dates(
            first_date=first,
            count=count,
            until=until,
            interval_months=interval,
            by_weekday=self.data.get("pattern", "weekday") != "date",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("count") is None and cleaned.get("until") is None:
            self.add_error("count", _("Ange antal möten eller ett slutdatum."))
        first, until = cleaned.get("first_date"), cleaned.get("until")
        if first and until and until < first:
            self.add_error("until", _("Slutdatum måste vara efter första mötesdagen."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Mötet måste sluta efter att det börjat."))
        if first and first < timezone.localdate():
            self.add_error("first_date", _("Första mötesdagen har redan varit."))
        return cleaned

    def ordinary_dates(self):
        """The dates a fresh preview ticks: weekends and public holidays are left for the
        planner to tick."""
        return [d for d in self.proposed_dates if self.date_remarks.get(d) is None]

    @property
    def questioned_dates(self):
        return [remark for remark in self.date_remarks.values() if remark is not None]

    def chosen_dates(self):
        return sorted(datetime.date.fromisoformat(value) for value in self.cleaned_data["dates"])


def _date_label(date, remark=None):
    """ "torsdag 11 mars 2027": Django's Swedish names, as the dates elsewhere in the app; a
    weekend or holiday marked ("fredag 25 juni 2027 – midsommarafton")."""
    label = date_format(date, "l j F Y")
    if remark is not None:
        return _("%(date)s – %(remark)s") % {"date": label, "remark": remark.short}
    return label


class StatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(name, label) for name, (label, _target) in Meeting.MANUAL_TRANSITIONS.items()]
    )
