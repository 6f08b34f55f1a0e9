from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry, selectors


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class SearchForm(forms.Form):
    """The search page's question and filters; choices the user may not pick are invalid, and
    an invalid filter is dropped rather than answered with an error page."""

    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=selectors.MAX_QUERY,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Typ"), required=False)
    council = forms.TypedChoiceField(label=_("Råd"), required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    focus_area = forms.TypedChoiceField(
        label=_("Fokusområde"), required=False, coerce=int, empty_value=None
    )
    sida = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["kind"].choices = everything + [
            (kind.name, kind.label) for kind in registry.kinds()
        ]
        self.fields["council"].choices = everything + registry.filter_choices("council", user)
        self.fields["year"].choices = everything + [
            (year, str(year)) for year in selectors.years(user)
        ]
        self.fields["focus_area"].choices = everything + registry.filter_choices("focus_area", user)

    def search(self, user):
        """The results for the valid fields (None when nothing was asked)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if not data and self.is_bound:
            # An invalid filter (a council that does not exist): search without the filters.
            data = {"q": (self.data.get("q") or "").strip()}
        if not data.get("q"):
            return None
        return selectors.search(
            user,
            data["q"],
            kind=data.get("kind") or None,
            council=data.get("council"),
            year=data.get("year"),
            focus_area=data.get("focus_area"),
            page=data.get("sida") or 1,
        )
