"""Server-rendered SVG bar charts for the coverage report (R13, R14): geometry only; the
template draws them (templates/followups/includes/bar_chart.svg.html), with a title, a
description and every value written as text, so that no colour is the only cue."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + 10
BAR_MAX = 300


@dataclass
class Bar:
    label: str
    value_text: str
    y_label: int
    y_bar: int
    width: int
    untouched: bool


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list
    width: int = WIDTH

    @property
    def height(self):
        return ROW_HEIGHT * len(self.bars) + 4

    @property
    def bar_height(self):
        return BAR_HEIGHT

    @property
    def value_x(self):
        return BAR_MAX + 8


def bar_chart(section, *, year):
    """One horizontal bar per line: the number of items; the text gives items, positions and
    minutes, and "ej berört" where an area of the plan was not touched."""
    top = max([line.items for line in section.lines] + [1])
    bars = []
    for n, line in enumerate(section.lines):
        value = ngettext("%(n)s ärende", "%(n)s ärenden", line.items) % {"n": line.items}
        value += ", " + ngettext(
            "%(n)s ställningstagande", "%(n)s ställningstaganden", line.positions
        ) % {"n": line.positions}
        value += ", " + _("%(n)s min") % {"n": line.minutes}
        if line.untouched:
            value += " – " + _("ej berört")
        y = n * ROW_HEIGHT
        bars.append(
            Bar(
                label=line.label,
                value_text=value,
                y_label=y + LABEL_HEIGHT - 3,
                y_bar=y + LABEL_HEIGHT,
                width=max(round(BAR_MAX * line.items / top), 2 if line.items else 0),
                untouched=line.untouched,
            )
        )
    touched = sorted(section.lines, key=lambda line: -line.items)
    description = _("Antal ärenden per rad under %(year)s.") % {"year": year}
    if touched and touched[0].items:
        description += " " + _("Flest: %(label)s (%(n)s).") % {
            "label": touched[0].label,
            "n": touched[0].items,
        }
    untouched = [line.label for line in section.untouched]
    if untouched:
        description += " " + _("Ej berörda: %(labels)s.") % {"labels": ", ".join(untouched)}
    return Chart(
        id=f"chart-{section.key}",
        title=_("%(title)s %(year)s: ärenden") % {"title": section.title, "year": year},
        description=description,
        bars=bars,
    )
