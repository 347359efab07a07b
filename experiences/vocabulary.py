"""Small lists read together: the choices of the practice filter and form in one query.

Each list is an ordinary queryset; `fetch_lists` sends them as one statement (each as a
JSON array in a column of a single row) and gives back model instances, so a page that
offers five vocabularies pays one round trip instead of five. The fields below validate
the submitted values against those instances (no query per field), and fall back to their
queryset when nothing was loaded.
"""

from html import escape

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models.base import ModelState
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def fetch_lists(**querysets) -> dict[str, list]:
    """name → the queryset's rows as model instances (its concrete fields plus any
    annotation named in `.values()`), all in one query. Querysets may carry annotations:
    pass them already reduced with `.values(...)` to choose the columns."""
    if not querysets:
        return {}
    parts, params, models = [], [], {}
    for name, queryset in querysets.items():
        models[name] = queryset.model
        if queryset.query.is_empty():  # .none(): nothing to ask
            parts.append("'[]'::json")
            continue
        if queryset.query.values_select or queryset.query.annotation_select:
            rows = queryset if queryset.query.values_select else queryset.values()
        else:
            rows = queryset.values(*_columns(queryset.model))
        try:
            sql, row_params = rows.query.sql_with_params()
        except EmptyResultSet:
            parts.append("'[]'::json")
            continue
        # the ORM's own SQL, its values as parameters
        parts.append(f"(SELECT COALESCE(json_agg(t), '[]'::json) FROM ({sql}) t)")  # noqa: S608  # nosec B608
        params.extend(row_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    result = {}
    for (name, model), values in zip(models.items(), row, strict=True):
        result[name] = [_instance(model, item) for item in values]
    return result


def _instance(model, item: dict):
    """A model instance from one JSON row, as Model.from_db makes them (no __init__ with
    its per-field defaults: the lists hold hundreds of rows); annotations become
    attributes. Only the columns read are set: pass every field the page uses."""
    obj = model.__new__(model)
    obj.__dict__.update(item)
    obj._state = ModelState()
    obj._state.adding = False
    obj._state.db = "default"
    return obj


class PreloadedMixin:
    """A model choice field that may be given its choices (`preload(instances)`): it then
    draws and validates against them, without a query."""

    preloaded = None

    def preload(self, instances, label=None) -> None:
        label = label or self.label_from_instance
        key = self.to_field_name or "pk"
        self.preloaded = {str(getattr(obj, key)): obj for obj in instances}
        choices = [(getattr(obj, key), label(obj)) for obj in instances]
        empty = getattr(self, "empty_label", None)
        if empty is not None and not isinstance(self, forms.ModelMultipleChoiceField):
            choices.insert(0, ("", empty))
        self.widget.choices = choices

    def _lookup(self, value):
        try:
            return self.preloaded[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class PreloadedSingleMixin(PreloadedMixin):
    def to_python(self, value):
        if self.preloaded is None or value in self.empty_values:
            return super().to_python(value)
        return self._lookup(value)


class PreloadedMultipleMixin(PreloadedMixin):
    def _check_values(self, value):
        if self.preloaded is None:
            return super()._check_values(value)
        if not isinstance(value, list | tuple):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return list(dict.fromkeys(self._lookup(item) for item in value))


class PreloadedChoiceField(PreloadedSingleMixin, django_filters.fields.ModelChoiceField):
    pass


class PreloadedMultipleChoiceField(
    PreloadedMultipleMixin, django_filters.fields.ModelMultipleChoiceField
):
    pass


class PreloadedFormChoiceField(PreloadedSingleMixin, forms.ModelChoiceField):
    pass


class PreloadedFormMultipleChoiceField(PreloadedMultipleMixin, forms.ModelMultipleChoiceField):
    pass


class PreloadedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PreloadedChoiceField


class PreloadedModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = PreloadedMultipleChoiceField


class FastSelect(forms.Select):
    """A <select> drawn in Python rather than through a template per option: the filter's
    city list has hundreds of options, and the template engine spent longer on them than
    the database on the whole page. Same HTML attributes as forms.Select (id, aria-*)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in selected else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        final_attrs = flatatt(final_attrs)
        # Reviewed for bandit: every part is escaped above (flatatt escapes the attributes).
        return mark_safe(f'<select name="{escape(str(name))}"{final_attrs}>{options}</select>')  # noqa: S308  # nosec B308 B703


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Check boxes drawn in Python, one `<div class="check">` each (the form's partner
    cities: hundreds of them, too many for a template per box). Same ids as Django's
    CheckboxSelectMultiple (`id_<name>_<index>`), so labels and error links find them."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        base_id = final_attrs.pop("id", None) or f"id_{name}"
        final_attrs.pop("aria-describedby", None)  # the fieldset carries the description
        extra = flatatt(final_attrs)
        boxes = []
        for index, (key, label) in enumerate(self.choices):
            box_id = escape(f"{base_id}_{index}")
            checked = " checked" if str(key) in selected else ""
            boxes.append(
                f'<div class="check"><input type="checkbox" name="{escape(str(name))}" '
                f'value="{escape(str(key))}" id="{box_id}"{extra}{checked}> '
                f'<label for="{box_id}">{escape(str(label))}</label></div>'
            )
        # Reviewed for bandit: every part is escaped above (flatatt escapes the attributes).
        return mark_safe("".join(boxes))  # noqa: S308  # nosec B308 B703
