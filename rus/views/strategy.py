"""Pages of the strategy: RUS, its target areas, the strategic plan by year (R13), the
påverkansagenda, sub-strategies, the diff between two versions and the change history.

Every signed-in user reads; only the secretariat edits (rus.access).
Only a draft plan's content is edited: an adopted plan stays as the councils agreed on it, apart
from the status of its influence issues. Changes go into next year's draft instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from councils.history import history_entries
from councils.locking import StaleEdit, save_checked
from rus import access, services
from rus.access import Action
from rus.forms.strategy import (
    AdoptPlanForm,
    ComparePlansForm,
    FocusAreaForm,
    InfluenceIssueForm,
    InfluenceIssueStatusForm,
    StrategicPlanForm,
    StrategyForm,
    SubStrategyForm,
    TargetAreaForm,
)
from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SubStrategy,
    TargetArea,
)

IN_USE = gettext_lazy(
    "%(name)s används av dagordningspunkter eller ärendeförslag och kan inte tas bort."
)


def _strategy():
    """The strategy in force: the one with the latest start year."""
    return Strategy.objects.first()


def _strategy_or_404():
    strategy = _strategy()
    if strategy is None:
        raise Http404(_("Ingen regional utvecklingsstrategi är inlagd."))
    return strategy


def _locked(request, plan):
    """Redirect with a message when `plan` is adopted (R13: the adopted version stays)."""
    if plan.is_editable:
        return None
    messages.error(request, services.ADOPTED_IS_LOCKED % {"year": plan.year})
    return redirect(plan)


def _focus_areas(plan):
    return list(plan.focus_areas.prefetch_related("goals", "dimensions"))


def _influence_agenda(focus_areas, issues):
    """The påverkansagenda grouped by focus area (in plan order), then by level.

    Returns [(focus_area or None, [(level label, [issue, ...]), ...]), ...]; empty groups left out.
    """
    groups = []
    for area in [*focus_areas, None]:
        area_id = area.pk if area else None
        by_level = []
        for level, label in InfluenceIssue.Level.choices:
            matching = [
                issue for issue in issues if issue.focus_area_id == area_id and issue.level == level
            ]
            if matching:
                by_level.append((label, matching))
        if by_level:
            groups.append((area, by_level))
    return groups


def _goals_summary(focus_areas):
    """Agenda 2030 goals the plan touches, each with its focus areas (R14), by goal number."""
    by_goal = {}
    for area in focus_areas:
        for goal in area.goals.all():
            by_goal.setdefault(goal, []).append(area)
    return sorted(by_goal.items(), key=lambda pair: pair[0].number)


def _render_form(request, *, form, title, cancel_url, note="", submit=None):
    """The form page; 409 after a stale save (someone saved the row since the form was built)."""
    return render(
        request,
        "rus/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "note": note,
            "submit": submit or _("Spara"),
        },
        status=409 if getattr(form, "stale", None) else 200,
    )


def _save(request, form, success_message):
    """Save the form (an edit with the version check). The saved object, or None with the
    refusal of a stale save on the form: the typed values stay and the saved ones are shown."""
    try:
        obj = save_checked(form)
    except StaleEdit as stale:
        form.show_stale(stale.current)
        return None
    messages.success(request, success_message)
    return obj


def _save_plan_content(request, form, success_message):
    """A draft plan, its focus areas and påverkansagenda are saved through the service that
    keeps an adopted plan as it is (R13). The saved object, or None with the refusal on the
    form."""
    m2m = {
        field.name: form.cleaned_data[field.name]
        for field in form.instance._meta.many_to_many
        if field.name in form.cleaned_data
    }
    try:
        obj = services.save_plan_content(
            instance=form.instance,
            user=request.user,
            m2m=m2m,
            version=form.cleaned_data.get("version"),
        )
    except StaleEdit as stale:
        form.show_stale(stale.current)
        return None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success_message)
    return obj


def _delete(request, obj, *, title, cancel_url, success_url, body="", plan_content=False):
    """GET asks for confirmation, POST deletes; a row still referenced by agenda items stays,
    and so does the content of an adopted plan (R13)."""
    if request.method == "POST":
        name = str(obj)
        try:
            if plan_content:
                services.delete_plan_content(instance=obj, user=request.user)
            else:
                with transaction.atomic():
                    obj.delete()
        except ProtectedError:
            messages.error(request, IN_USE % {"name": name})
            return redirect(cancel_url)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(cancel_url)
        messages.success(request, _("%(name)s är borttagen.") % {"name": name})
        return redirect(success_url)
    return render(
        request,
        "rus/confirm_delete.html",
        {"object": obj, "title": title, "cancel_url": cancel_url, "body": body},
    )


# --- The strategy -------------------------------------------------------------------------------


@login_required
@require_GET
def strategy(request):
    roles = access.require(request, Action.READ)
    strategy = _strategy()
    context = {"strategy": strategy, "roles": roles}
    if strategy is None:
        return render(request, "rus/strategy.html", context)
    plans = list(strategy.plans.all())
    adopted = [plan for plan in plans if plan.is_adopted]
    year = timezone.localdate().year
    plan = next((p for p in adopted if p.year <= year), adopted[-1] if adopted else None)
    focus_areas = _focus_areas(plan) if plan else []
    issues = list(plan.influence_issues.all()) if plan else []
    context.update(
        plans=plans,
        plan=plan,
        drafts=[p for p in plans if not p.is_adopted],
        target_areas=list(strategy.target_areas.all()),
        focus_areas=focus_areas,
        influence_agenda=_influence_agenda(focus_areas, issues),
        goals_summary=_goals_summary(focus_areas),
        sub_strategies=list(strategy.sub_strategies.all()),
    )
    return render(request, "rus/strategy.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request):
    access.require(request, Action.EDIT)
    instance = _strategy() or Strategy(start_year=2020, end_year=2030)
    form = StrategyForm(request.POST or None, instance=instance)
    if form.is_valid() and _save(request, form, _("Strategin är sparad.")):
        return redirect("rus:strategy")
    title = _("Ändra strategin") if instance.pk else _("Lägg in strategin")
    return _render_form(request, form=form, title=title, cancel_url=reverse("rus:strategy"))


# --- Target areas -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def target_area_create(request):
    access.require(request, Action.EDIT)
    strategy = _strategy_or_404()
    form = TargetAreaForm(request.POST or None, instance=TargetArea(strategy=strategy))
    if form.is_valid() and _save(request, form, _("Målområdet är tillagt.")):
        return redirect("rus:strategy")
    return _render_form(
        request, form=form, title=_("Nytt målområde"), cancel_url=reverse("rus:strategy")
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_area_edit(request, pk):
    target_area = access.get_target_area_for_user(request, pk, action=Action.EDIT)
    form = TargetAreaForm(request.POST or None, instance=target_area)
    if form.is_valid() and _save(request, form, _("Målområdet är sparat.")):
        return redirect("rus:strategy")
    return _render_form(
        request,
        form=form,
        title=_("Ändra målområde: %(name)s") % {"name": target_area},
        cancel_url=reverse("rus:strategy"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_area_delete(request, pk):
    target_area = access.get_target_area_for_user(request, pk, action=Action.EDIT)
    url = reverse("rus:strategy")
    return _delete(
        request,
        target_area,
        title=_("Ta bort målområdet %(name)s?") % {"name": target_area},
        cancel_url=url,
        success_url=url,
    )


# --- Sub-strategies -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sub_strategy_create(request):
    access.require(request, Action.EDIT)
    strategy = _strategy_or_404()
    form = SubStrategyForm(request.POST or None, instance=SubStrategy(strategy=strategy))
    if form.is_valid() and _save(request, form, _("Understrategin är tillagd.")):
        return redirect("rus:strategy")
    return _render_form(
        request,
        form=form,
        title=_("Ny understrategi eller nytt program"),
        cancel_url=reverse("rus:strategy"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sub_strategy_edit(request, pk):
    sub_strategy = access.get_sub_strategy_for_user(request, pk, action=Action.EDIT)
    form = SubStrategyForm(request.POST or None, instance=sub_strategy)
    if form.is_valid() and _save(request, form, _("Understrategin är sparad.")):
        return redirect("rus:strategy")
    return _render_form(
        request,
        form=form,
        title=_("Ändra %(name)s") % {"name": sub_strategy},
        cancel_url=reverse("rus:strategy"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sub_strategy_delete(request, pk):
    sub_strategy = access.get_sub_strategy_for_user(request, pk, action=Action.EDIT)
    url = reverse("rus:strategy")
    return _delete(
        request,
        sub_strategy,
        title=_("Ta bort %(name)s?") % {"name": sub_strategy},
        cancel_url=url,
        success_url=url,
    )


# --- Plans --------------------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request):
    roles = access.require(request, Action.READ)
    strategy = _strategy()
    plans = list(strategy.plans.select_related("based_on")) if strategy else []
    return render(
        request,
        "rus/plan_list.html",
        {"strategy": strategy, "plans": plans, "roles": roles},
    )


@login_required
@require_GET
def plan_detail(request, pk):
    plan = access.get_plan_for_user(request, pk)
    roles = access.require(request, Action.READ)
    focus_areas = _focus_areas(plan)
    issues = list(plan.influence_issues.all())
    next_plan = StrategicPlan.objects.filter(strategy_id=plan.strategy_id, year=plan.year + 1)
    return render(
        request,
        "rus/plan_detail.html",
        {
            "plan": plan,
            "roles": roles,
            "focus_areas": focus_areas,
            "issues": issues,
            "influence_agenda": _influence_agenda(focus_areas, issues),
            "editable": roles.is_secretariat and plan.is_editable,
            "next_plan": next_plan.first(),
            "adopt_form": AdoptPlanForm() if roles.is_secretariat and plan.is_editable else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    access.require(request, Action.EDIT)
    strategy = _strategy_or_404()
    latest = strategy.plans.first()
    form = StrategicPlanForm(
        request.POST or None,
        instance=StrategicPlan(strategy=strategy),
        initial={"year": (latest.year + 1) if latest else timezone.localdate().year},
    )
    if form.is_valid() and (
        plan := _save_plan_content(request, form, _("Planen är skapad som utkast."))
    ):
        return redirect(plan)
    return _render_form(
        request,
        form=form,
        title=_("Ny strategisk plan"),
        cancel_url=reverse("rus:plan_list"),
        note=_(
            "En ny plan skapas som ett tomt utkast. Vill du utgå från förra årets plan, "
            "använd i stället ”Starta nästa års plan” på den fastställda planen."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = access.get_plan_for_user(request, pk, action=Action.EDIT)
    if locked := _locked(request, plan):
        return locked
    form = StrategicPlanForm(request.POST or None, instance=plan)
    if form.is_valid() and _save_plan_content(request, form, _("Planen är sparad.")):
        return redirect(plan)
    return _render_form(
        request,
        form=form,
        title=_("Ändra %(name)s") % {"name": plan},
        cancel_url=plan.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    plan = access.get_plan_for_user(request, pk, action=Action.EDIT)
    if locked := _locked(request, plan):
        return locked
    return _delete(
        request,
        plan,
        title=_("Ta bort utkastet %(name)s?") % {"name": plan},
        body=_("Utkastets fokusområden och påverkansfrågor tas också bort."),
        cancel_url=plan.get_absolute_url(),
        success_url=reverse("rus:plan_list"),
        plan_content=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_adopt(request, pk):
    """Fastställ planen: GET shows the form, POST adopts."""
    plan = access.get_plan_for_user(request, pk, action=Action.EDIT)
    if locked := _locked(request, plan):
        return locked
    form = AdoptPlanForm(request.POST or None)
    if form.is_valid():
        try:
            services.adopt_plan(
                plan=plan, adopted_on=form.cleaned_data["adopted_on"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Planen för %(year)s är fastställd.") % {"year": plan.year})
            return redirect(plan)
    return render(request, "rus/plan_adopt.html", {"plan": plan, "form": form})


@login_required
@require_POST
def plan_start_next(request, pk):
    """Starta nästa års plan: copy the adopted plan into a draft for the following year."""
    plan = access.get_plan_for_user(request, pk, action=Action.EDIT)
    try:
        draft = services.start_next_plan(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    messages.success(
        request,
        _(
            "Ett utkast för %(year)s är skapat utifrån planen för %(previous)s. "
            "Gör årets justeringar och fastställ sedan planen."
        )
        % {"year": draft.year, "previous": plan.year},
    )
    return redirect(draft)


@login_required
@require_GET
def plan_compare(request):
    """The diff between two versions of the plan (R13: reviewed every year)."""
    access.require(request, Action.READ)
    strategy = _strategy()
    plans = strategy.plans.all() if strategy else StrategicPlan.objects.none()
    data = request.GET if {"fran", "till"} & set(request.GET) else _default_pair(plans)
    form = ComparePlansForm(data, plans=plans) if data else ComparePlansForm(plans=plans)
    diff = None
    if data and form.is_valid():
        old, new = form.cleaned_data["fran"], form.cleaned_data["till"]
        if old.year > new.year:
            old, new = new, old
        diff = services.compare_plans(old, new)
    template = "rus/plan_compare.html"
    if request.htmx:
        template += "#diff-result"
    return render(request, template, {"form": form, "diff": diff, "strategy": strategy})


def _default_pair(plans):
    """Without a choice, compare the latest plan with the one it was based on (or the one
    before it)."""
    ordered = list(plans.order_by("-year")[:2])
    if len(ordered) < 2:
        return None
    new = ordered[0]
    old_pk = new.based_on_id or ordered[1].pk
    return {"fran": old_pk, "till": new.pk}


# --- Focus areas --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_create(request, plan_pk):
    plan = access.get_plan_for_user(request, plan_pk, action=Action.EDIT)
    if locked := _locked(request, plan):
        return locked
    form = FocusAreaForm(
        request.POST or None,
        instance=FocusArea(plan=plan),
        initial={"position": plan.focus_areas.count() + 1},
    )
    if form.is_valid() and _save_plan_content(request, form, _("Fokusområdet är tillagt.")):
        return redirect(plan)
    return _render_form(
        request,
        form=form,
        title=_("Nytt fokusområde i %(plan)s") % {"plan": plan},
        cancel_url=plan.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_edit(request, pk):
    focus_area = access.get_focus_area_for_user(request, pk, action=Action.EDIT)
    plan = focus_area.plan
    if locked := _locked(request, plan):
        return locked
    form = FocusAreaForm(request.POST or None, instance=focus_area)
    if form.is_valid() and _save_plan_content(request, form, _("Fokusområdet är sparat.")):
        return redirect(plan)
    return _render_form(
        request,
        form=form,
        title=_("Ändra fokusområde: %(name)s") % {"name": focus_area},
        cancel_url=plan.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_delete(request, pk):
    focus_area = access.get_focus_area_for_user(request, pk, action=Action.EDIT)
    plan = focus_area.plan
    if locked := _locked(request, plan):
        return locked
    url = plan.get_absolute_url()
    return _delete(
        request,
        focus_area,
        title=_("Ta bort fokusområdet %(name)s?") % {"name": focus_area},
        body=_("Påverkansfrågor som hör till fokusområdet blir kvar utan fokusområde."),
        cancel_url=url,
        success_url=url,
        plan_content=True,
    )


# --- Influence issues (påverkansagenda) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def influence_issue_create(request, plan_pk):
    plan = access.get_plan_for_user(request, plan_pk, action=Action.EDIT)
    if locked := _locked(request, plan):
        return locked
    form = InfluenceIssueForm(
        request.POST or None,
        instance=InfluenceIssue(plan=plan),
        initial={"focus_area": request.GET.get("fokusomrade")},
    )
    if form.is_valid() and _save_plan_content(request, form, _("Påverkansfrågan är tillagd.")):
        return redirect(plan)
    return _render_form(
        request,
        form=form,
        title=_("Ny påverkansfråga i %(plan)s") % {"plan": plan},
        cancel_url=plan.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def influence_issue_edit(request, pk):
    """In a draft everything may change; in an adopted plan only the issue's status."""
    issue = access.get_influence_issue_for_user(request, pk, action=Action.EDIT)
    plan = issue.plan
    form_class = InfluenceIssueForm if plan.is_editable else InfluenceIssueStatusForm
    form = form_class(request.POST or None, instance=issue)
    if form.is_valid():
        if plan.is_editable:
            saved = _save_plan_content(request, form, _("Påverkansfrågan är sparad."))
        else:
            try:
                saved = services.set_issue_status(
                    issue=issue,
                    status=form.cleaned_data["status"],
                    user=request.user,
                    version=form.cleaned_data["version"],
                )
            except StaleEdit as stale:
                form.show_stale(stale.current)
                saved = None
            else:
                messages.success(request, _("Påverkansfrågan är sparad."))
        if saved:
            return redirect(plan)
    note = (
        ""
        if plan.is_editable
        else _(
            "Planen för %(year)s är fastställd. Bara frågans status kan uppdateras; "
            "övriga ändringar görs i nästa års plan."
        )
        % {"year": plan.year}
    )
    return _render_form(
        request,
        form=form,
        title=_("Ändra påverkansfråga: %(name)s") % {"name": issue},
        cancel_url=plan.get_absolute_url(),
        note=note,
    )


@login_required
@require_http_methods(["GET", "POST"])
def influence_issue_delete(request, pk):
    issue = access.get_influence_issue_for_user(request, pk, action=Action.EDIT)
    plan = issue.plan
    if locked := _locked(request, plan):
        return locked
    url = plan.get_absolute_url()
    return _delete(
        request,
        issue,
        title=_("Ta bort påverkansfrågan %(name)s?") % {"name": issue},
        cancel_url=url,
        success_url=url,
        plan_content=True,
    )


# --- History ------------------------------------------------------------------------------------


@login_required
@require_GET
def history(request):
    """Every change to the strategy registers: who, when, what. Secretariat only."""
    access.require(request, Action.READ_HISTORY)
    entries = history_entries(
        Strategy.history.all(),
        TargetArea.history.all(),
        SubStrategy.history.all(),
        StrategicPlan.history.all(),
        FocusArea.history.all(),
        InfluenceIssue.history.all(),
    )
    return render(
        request,
        "rus/history.html",
        {"entries": entries[:200], "truncated": len(entries) > 200, "plan": None},
    )


@login_required
@require_GET
def plan_history(request, pk):
    """The changes to one plan, its focus areas and its påverkansagenda. Secretariat only."""
    plan = access.get_plan_for_user(request, pk, action=Action.READ_HISTORY)
    entries = history_entries(
        StrategicPlan.history.filter(id=plan.pk),
        FocusArea.history.filter(plan_id=plan.pk),
        InfluenceIssue.history.filter(plan_id=plan.pk),
    )
    return render(
        request, "rus/history.html", {"entries": entries, "truncated": False, "plan": plan}
    )
