"""Extension points for the apps above meetings (protocols, later follow-ups).

`meetings` never imports them; they register here in their `AppConfig.ready()`:

- a meeting panel is a function `(request, meeting) -> dict | None`: a dict with `template` (a
  template the meeting page includes) and whatever that template needs, or None when the panel
  has nothing to show. Panels are called in the order they were registered.
"""

_meeting_panels = []


def register_meeting_panel(panel):
    if panel not in _meeting_panels:
        _meeting_panels.append(panel)


def meeting_panels(request, meeting):
    """What the registered panels show on the meeting page, in order."""
    shown = []
    for panel in _meeting_panels:
        result = panel(request, meeting)
        if result:
            shown.append(result)
    return shown
