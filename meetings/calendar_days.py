"""Days a secretariat would question for a meeting: weekends and Swedish public holidays, with
the de facto days off (midsommarafton, julafton, nyårsafton), from the maintained `holidays`
package. A warning the planner may confirm past, never a refusal: a strategic planning meeting
(R4) may well run over a weekend."""

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CATEGORIES = ("public", "de_facto")


@functools.lru_cache(maxsize=32)
def _holidays(year, language):
    return dict(
        holidays.country_holidays("SE", years=year, language=language, categories=CATEGORIES)
    )


def _language():
    return "en_US" if (get_language() or "sv").startswith("en") else "sv"


@dataclass(frozen=True)
class DayRemark:
    day: datetime.date
    holiday: str  # the holiday's name in the active language, or "" for a plain weekend day

    @property
    def short(self):
        """'midsommarafton', 'helg': beside a date in a list."""
        return self.holiday or _("helg")

    @property
    def sentence(self):
        """'fredag 25 juni 2027 är midsommarafton.'"""
        day = formats.date_format(self.day, "l j F Y")
        if self.holiday:
            return _("%(day)s är %(holiday)s.") % {"day": day, "holiday": self.holiday}
        return _("%(day)s infaller på en helg.") % {"day": day}


def day_remark(day):
    """Why `day` is a doubtful meeting day, or None for an ordinary working day."""
    name = _holidays(day.year, _language()).get(day)
    if name:
        if _language() == "sv":
            name = name[0].lower() + name[1:]  # mid-sentence: "är midsommarafton"
        return DayRemark(day=day, holiday=name)
    if day.weekday() >= 5:
        return DayRemark(day=day, holiday="")
    return None


def questionable_days(first, last):
    """The remarks for every doubtful day from `first` to `last` (a meeting over several days)."""
    remarks = []
    day = first
    while day <= last:
        remark = day_remark(day)
        if remark:
            remarks.append(remark)
        day += datetime.timedelta(days=1)
    return remarks
