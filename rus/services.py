"""Workflows of the strategic plan (R13): it is reviewed every year and adjusted when needed.

`start_next_plan` copies the adopted plan into next year's draft, `adopt_plan` makes a draft the
adopted version, and `compare_plans` shows what changed between two versions. An adopted plan
stays as the councils agreed on it: `save_plan_content` and `delete_plan_content` refuse to
change it, its focus areas or its påverkansagenda; only an issue's status follows the work
during the year (`set_issue_status`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from councils.history import text_segments
from councils.locking import check_version

from .models import FocusArea, InfluenceIssue, StrategicPlan

ADOPTED_IS_LOCKED = gettext_lazy(
    "Planen för %(year)s är fastställd och kan inte ändras. Starta nästa års plan för att göra "
    "ändringar i ett utkast."
)


def refuse_if_adopted(plan):
    """R13: the adopted version stays; changes go into next year's draft. Read from the
    database, whatever the object in hand says."""
    if plan.pk and StrategicPlan.objects.filter(pk=plan.pk).adopted().exists():
        raise ValidationError(ADOPTED_IS_LOCKED % {"year": plan.year}, code="adopted")


def _plan_of(instance):
    return instance if isinstance(instance, StrategicPlan) else instance.plan


@transaction.atomic
def save_plan_content(*, instance, user=None, m2m=None, version=None):
    """Save a draft plan, or a focus area or influence issue of a draft plan, with its
    many-to-many values (`m2m`: {field name: values}). Refuses an adopted plan (R13), and a
    change made on an older `version` than the saved one (StaleEdit)."""
    if instance.pk:
        check_version(instance, version)
    refuse_if_adopted(_plan_of(instance))
    _as(user, instance).save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


@transaction.atomic
def delete_plan_content(*, instance, user=None):
    """Delete a draft plan, or a focus area or influence issue of one. Refuses an adopted plan
    (R13); ProtectedError when agenda items or proposals still link to it."""
    refuse_if_adopted(_plan_of(instance))
    _as(user, instance).delete()


@transaction.atomic
def set_issue_status(*, issue, status, user=None, version=None):
    """The one change an adopted plan takes: an influence issue's status follows the lobbying
    work during the year. StaleEdit when the issue was saved since `version`."""
    check_version(issue, version)
    issue.status = status
    _as(user, issue).save(update_fields=["status"])
    return issue


def _as(user, instance):
    """Record `user` as the author of the history row simple_history writes on save."""
    if user is not None:
        instance._history_user = user
    return instance


@transaction.atomic
def start_next_plan(*, plan, user=None):
    """Copy an adopted plan into a draft for the following year and return the draft.

    Focus areas keep their Agenda 2030 goals and sustainability dimensions (R14); influence
    issues are re-linked to the copied focus areas. Refuses when next year's plan exists.
    """
    plan = StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_adopted:
        raise ValidationError(_("Bara en fastställd plan kan ligga till grund för nästa års plan."))
    next_year = plan.year + 1
    if StrategicPlan.objects.filter(strategy_id=plan.strategy_id, year=next_year).exists():
        raise ValidationError(_("Det finns redan en plan för %(year)s.") % {"year": next_year})

    draft = _as(
        user,
        StrategicPlan(
            strategy_id=plan.strategy_id,
            year=next_year,
            title=plan.title,
            purpose=plan.purpose,
            based_on=plan,
            status=StrategicPlan.Status.DRAFT,
        ),
    )
    draft.save()

    copies = {}
    for area in plan.focus_areas.prefetch_related("goals", "dimensions"):
        copy = _as(
            user,
            FocusArea(
                plan=draft,
                title=area.title,
                vision_2030=area.vision_2030,
                capacity_needed=area.capacity_needed,
                position=area.position,
            ),
        )
        copy.save()
        copy.goals.set(area.goals.all())
        copy.dimensions.set(area.dimensions.all())
        copies[area.pk] = copy

    for issue in plan.influence_issues.all():
        _as(
            user,
            InfluenceIssue(
                plan=draft,
                focus_area=copies.get(issue.focus_area_id),
                title=issue.title,
                level=issue.level,
                description=issue.description,
                status=issue.status,
            ),
        ).save()
    return draft


@transaction.atomic
def adopt_plan(*, plan, adopted_on, user=None):
    """Fastställ a draft plan: from then on its content stays as adopted."""
    plan = StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_adopted:
        raise ValidationError(_("Planen är redan fastställd."))
    if not plan.focus_areas.exists():
        raise ValidationError(_("En plan utan fokusområden kan inte fastställas."))
    _as(user, plan).adopt(adopted_on)
    return plan


# --- Comparing two versions -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One changed field. Text fields carry word-level `segments`; tag fields `added`/`removed`."""

    label: str
    old: str = ""
    new: str = ""
    segments: tuple = ()
    added: tuple = ()
    removed: tuple = ()


@dataclass(frozen=True)
class ItemChange:
    title: str
    old: object
    new: object
    changes: tuple


@dataclass
class SectionDiff:
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def has_changes(self):
        return bool(self.added or self.removed or self.changed)


@dataclass
class PlanDiff:
    old: StrategicPlan
    new: StrategicPlan
    plan_changes: tuple
    focus_areas: SectionDiff
    influence_issues: SectionDiff

    @property
    def has_changes(self):
        return bool(
            self.plan_changes or self.focus_areas.has_changes or self.influence_issues.has_changes
        )


def _text(label, old, new):
    if (old or "").strip() == (new or "").strip():
        return None
    return FieldChange(label=label, old=old, new=new, segments=text_segments(old, new))


def _value(label, old, new):
    if old == new:
        return None
    return FieldChange(label=label, old=old, new=new)


def _tags(label, old, new):
    """Tags in the order given (goals by number: "8." before "13."), not sorted as text."""
    old, new = list(old), list(new)
    if set(old) == set(new):
        return None
    return FieldChange(
        label=label,
        added=tuple(tag for tag in new if tag not in old),
        removed=tuple(tag for tag in old if tag not in new),
    )


def _focus_area_changes(old, new):
    return [
        _value(_("Rubrik"), old.title, new.title),
        _text(_("Vision 2030"), old.vision_2030, new.vision_2030),
        _text(_("Kapacitet som behövs"), old.capacity_needed, new.capacity_needed),
        _tags(_("Agenda 2030-mål"), map(str, old.goals.all()), map(str, new.goals.all())),
        _tags(
            _("Hållbarhetsdimensioner"),
            map(str, old.dimensions.all()),
            map(str, new.dimensions.all()),
        ),
    ]


def _issue_changes(old, new):
    return [
        _value(_("Sakfråga"), old.title, new.title),
        _value(_("Nivå"), old.get_level_display(), new.get_level_display()),
        _value(
            _("Fokusområde"),
            old.focus_area.title if old.focus_area else "–",
            new.focus_area.title if new.focus_area else "–",
        ),
        _text(_("Beskrivning"), old.description, new.description),
        _value(_("Status"), old.get_status_display(), new.get_status_display()),
    ]


def _match_key(title):
    return " ".join(title.split()).casefold()


def _compare(old_items, new_items, changes_of):
    """Match rows by title (case and spacing ignored); a renamed row is removed plus added."""
    diff = SectionDiff()
    old_by_key = {_match_key(item.title): item for item in old_items}
    new_keys = set()
    for item in new_items:
        key = _match_key(item.title)
        new_keys.add(key)
        previous = old_by_key.get(key)
        if previous is None:
            diff.added.append(item)
            continue
        changes = tuple(change for change in changes_of(previous, item) if change is not None)
        if changes:
            diff.changed.append(ItemChange(item.title, previous, item, changes))
        else:
            diff.unchanged.append(item)
    diff.removed = [item for key, item in old_by_key.items() if key not in new_keys]
    return diff


def _focus_areas(plan):
    return list(plan.focus_areas.prefetch_related("goals", "dimensions"))


def _issues(plan):
    return list(plan.influence_issues.select_related("focus_area"))


def compare_plans(old, new):
    """What changed from plan `old` to plan `new`: the plan's own fields, focus areas, issues."""
    plan_changes = tuple(
        change
        for change in (
            _value("Rubrik", old.title, new.title),
            _text("Syfte", old.purpose, new.purpose),
        )
        if change is not None
    )
    return PlanDiff(
        old=old,
        new=new,
        plan_changes=plan_changes,
        focus_areas=_compare(_focus_areas(old), _focus_areas(new), _focus_area_changes),
        influence_issues=_compare(_issues(old), _issues(new), _issue_changes),
    )
