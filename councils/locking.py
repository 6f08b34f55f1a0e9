"""Optimistic locking: no silent lost update on a record several people keep.

Two people open the same edit form; the first saves; the second form is now stale. Without a
check its save would write the old values of every field over the first person's change. With
it, the stale save is refused, the second person sees their own typed values kept and the values
saved in the meantime beside them, merges, and saves again.

The parts, used together (see docs/architecture.md, "Concurrent edits"):

- `Versioned`: an abstract model with a `version` that every save of the row's content raises.
- `VersionedForm`: a ModelForm mixin carrying the version the form was built from (hidden).
- `check_version(instance, version)`: in the service, under `transaction.atomic`: locks the row,
  refuses with `StaleEdit` (carrying the row as saved now) when `version` is not current.
- `form.show_stale(error.current)`: the view re-renders the form (409) with what was typed, the
  saved values per differing field, and the current version, so the next save goes through.
- `order_token` / `check_order`: the same for a list reordered from a page (agenda items).

This module lies in the lowest app so that every app (meetings, the strategy in rus, protocols)
can use it; it knows no model of its own.
"""

import datetime

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.boundfield import BoundField
from django.forms.models import model_to_dict
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A form posted without the version it was built from (a page from before versions, or a
# template that forgot the hidden field); a hidden field's own error would not be shown.
INCOMPLETE_FORM = _("Formuläret är ofullständigt. Ladda om sidan och gör ändringen igen.")


class StaleEdit(Exception):
    """The row was saved by someone else since the form was built. `current` is the row as it
    is saved now (read under lock); nothing of the refused save was written."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current


class StaleOrder(ValidationError):
    """A list was reordered (or items added or removed) since the page that posts its new order
    was built."""

    def __init__(self):
        super().__init__(
            _(
                "Någon annan har ändrat ordningen sedan sidan laddades, så din ändring är inte "
                "sparad. Ordningen som visas nu är den sparade: gör om flytten om den behövs."
            ),
            code="stale_order",
        )


class Versioned(models.Model):
    """A record several people edit: its `version` rises with every save of its content.

    `UNVERSIONED_FIELDS` names the bookkeeping fields no edit form shows (an order, a mark, a
    status set by its own action): a save limited to them (`update_fields`) leaves the version
    alone, so an edit form open meanwhile stays valid. Every other save of an existing row,
    including the admin's and the shell's, raises it.
    """

    UNVERSIONED_FIELDS = frozenset()

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (
            update_fields is None or not set(update_fields) <= set(self.UNVERSIONED_FIELDS)
        ):
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


def check_version(instance, version):
    """Lock `instance`'s row until the transaction ends and refuse the coming save if the row
    is no longer at `version` (the version the user's form was built from).

    Call inside `transaction.atomic`, before changing anything. Raises StaleEdit with the row as
    saved now. `version=None` skips the comparison (a caller that has just read the row, such as
    the shell), but still takes the lock, so the version the save writes follows the saved one.
    """
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if version is not None and current.version != version:
        raise StaleEdit(current)
    instance.version = current.version
    # The bookkeeping fields as saved now: a move or a mark made since `instance` was read is
    # not written back over by this save.
    for name in instance.UNVERSIONED_FIELDS:
        attname = instance._meta.get_field(name).attname
        setattr(instance, attname, getattr(current, attname))
    return instance


def save_checked(form):
    """Save a `VersionedForm` in one transaction, an edit (of a saved row) with the version
    check: for views that save the ModelForm itself. Raises StaleEdit (nothing saved)."""
    with transaction.atomic():
        if "version" in form.fields:
            check_version(form.instance, form.cleaned_data["version"])
        return form.save()


def order_token(pks):
    """A token for the order a page shows (`pks` in order); posted back with the new order."""
    return ".".join(str(pk) for pk in pks)


def check_order(pks, token):
    """Refuse (StaleOrder) a reorder built from a page whose order is not the saved one, `pks`
    in their saved order. Call with the list's rows locked. `token=None` skips the check."""
    if token is not None and order_token(pks) != token:
        raise StaleOrder()


# --- Forms ------------------------------------------------------------------------------------


class VersionedBoundField(BoundField):
    @property
    def saved_value(self):
        """After a refused stale save: the value saved now, for display, where it differs from
        what the user typed ("" where it does not). Shown by templates/includes/field.html."""
        return self.form.saved_values.get(self.name, "")


class VersionedForm:
    """Mixin for the ModelForm of a `Versioned` model (put it first):
    `class AgendaItemForm(VersionedForm, forms.ModelForm)`.

    An edit form (bound to a saved row) carries the version it was built from as the hidden
    field `version`; the view passes `form.cleaned_data["version"]` to the service and on
    StaleEdit calls `show_stale()`. A form for a new row has no such field.
    """

    bound_field_class = VersionedBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=self.instance.version
            )
        self.saved_values = {}
        self.stale = None

    def clean(self):
        cleaned = super().clean()
        if "version" in self.fields and cleaned.get("version") is None:
            self.add_error(None, INCOMPLETE_FORM)
        return cleaned

    def current_initial(self, current):
        """The form's initial values for the row as saved now. A form that shows a model field
        through other fields (a date and a time for one datetime) extends this."""
        names = [name for name in self.fields if name != "version"]
        return model_to_dict(current, fields=names)

    def show_stale(self, current):
        """Prepare the form to be shown again after StaleEdit: everything typed stays, the saved
        value appears beside each field where it differs, and the next save is checked against
        the version saved now."""
        self.stale = current
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        self.data = data
        for name, value in self.current_initial(current).items():
            field = self.fields.get(name)
            if field is None or field.disabled:
                continue
            if field.has_changed(value, self[name].data):
                self.saved_values[name] = display_value(field, value)
        last = current.history.select_related("history_user").first()
        author = _author(last.history_user) if last and last.history_user else ""
        when = formats.date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
        if author:
            message = gettext(
                "%(author)s sparade ändringar %(when)s, efter att du öppnade formuläret."
            ) % {"author": author, "when": when}
        else:
            message = gettext(
                "Någon annan sparade ändringar %(when)s, efter att du öppnade formuläret."
            ) % {"when": when}
        if self.saved_values:
            advice = gettext(
                "Dina ändringar är inte sparade; det du skrev finns kvar. Under varje fält som "
                "skiljer sig visas det som är sparat nu. Ta med det som ska vara kvar och spara "
                "igen."
            )
        else:
            advice = gettext(
                "Dina ändringar är inte sparade; det du skrev finns kvar. Inget fält i "
                "formuläret skiljer sig från det som är sparat nu: spara igen för att bekräfta."
            )
        self.add_error(None, f"{message} {advice}")


def _author(user):
    person = getattr(user, "person", None)
    return str(person) if person else user.get_full_name() or user.get_username()


def display_value(field, value):
    """A form field's initial value as a person reads it (a label, not an id)."""
    if value in (None, "", [], ()):
        return gettext("(tomt)")
    if isinstance(field, forms.ModelMultipleChoiceField):
        objects = [
            obj if isinstance(obj, models.Model) else field.queryset.model._base_manager.get(pk=obj)
            for obj in value
        ]
        return ", ".join(field.label_from_instance(obj) for obj in objects)
    if isinstance(field, forms.ModelChoiceField):
        obj = value
        if not isinstance(obj, models.Model):
            obj = field.queryset.model._base_manager.filter(pk=value).first()
        return field.label_from_instance(obj) if obj else gettext("(tomt)")
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, (list, tuple)):
                labels.update({str(k): lab for k, lab in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    if isinstance(field, forms.BooleanField):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.localize(value) if not isinstance(value, str) else value


# --- Admin ------------------------------------------------------------------------------------


class VersionedAdminForm(VersionedForm, forms.ModelForm):
    """The admin's change form with the same check as the app's: a save made on an older
    version is refused, the saved values named in the message (the admin shows no field's
    saved value), and the form carries the saved version for the next try."""

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version")
        if "version" in self.fields and version is not None:
            try:
                # The admin saves in the transaction its change view opened: the row stays
                # locked until the save.
                check_version(self.instance, version)
            except StaleEdit as stale:
                self.show_stale(stale.current)
                if self.saved_values:
                    values = "; ".join(
                        f"{self.fields[name].label}: {value}"
                        for name, value in self.saved_values.items()
                    )
                    self.add_error(None, gettext("Sparat nu: %(values)s") % {"values": values})
        return cleaned


class VersionedAdmin:
    """ModelAdmin mixin (put it first) for a `Versioned` model: its change form carries the
    version and refuses a stale save like the app's forms (`VersionedAdminForm`)."""

    form = VersionedAdminForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and "version" not in fields:
            fields.append("version")  # rendered hidden
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        # `version` is the form's own field, not the model form's (it is not editable).
        fields = kwargs.get("fields")
        if "fields" not in kwargs:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != "version"]
        return super().get_form(request, obj, change=change, **kwargs)
