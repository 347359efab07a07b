"""What changed in a practice's text between two versions, field by field, for people to
read (a refused concurrent save, a pending revision the secretariat reviews)."""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Model
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .models import PRACTICE_EDITABLE_FIELDS, PRACTICE_HISTORY, PRACTICE_M2M_FIELDS, Practice

# Texts longer than this (or on several lines) are shown as a word-by-word difference.
LONG_TEXT = 80
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its label, the version the reader started from (`before`),
    the other version (`after`), and for long texts the difference as safe HTML."""

    name: str
    label: str
    before: str
    after: str
    diff: SafeString | None = None


def text_of(practice: Practice) -> dict:
    """The editable text of a saved practice as plain values (ids for relations)."""
    values = {name: getattr(practice, name) for name in PRACTICE_EDITABLE_FIELDS}
    values["city"] = practice.city_id
    for name in PRACTICE_M2M_FIELDS:
        values[name] = sorted(getattr(practice, name).values_list("pk", flat=True))
    return values


def text_from_data(data: dict) -> dict:
    """The same plain values from a form's cleaned data or a revision's stored data."""
    values = {}
    for name in PRACTICE_EDITABLE_FIELDS:
        if name in data:
            value = data[name]
            values[name] = value.pk if isinstance(value, Model) else value
    for name in PRACTICE_M2M_FIELDS:
        if name in data:
            values[name] = sorted(
                item.pk if isinstance(item, Model) else int(item) for item in data[name]
            )
    return _typed(values)


def text_at_version(practice: Practice, version: int) -> dict | None:
    """The text as it was at `version`: from the practice's history, or from the pending
    revision saved as that version; None when no record of it is kept."""
    record = (
        Practice.history.filter(id=practice.pk, version=version).order_by("-history_id").first()
    )
    if record is not None:
        values = {name: getattr(record, name) for name in PRACTICE_EDITABLE_FIELDS}
        values["city"] = record.city_id
        for name in PRACTICE_M2M_FIELDS:
            field = Practice._meta.get_field(name)
            if name not in PRACTICE_HISTORY.m2m_fields:
                continue  # not kept in the history (lines of work): cannot be compared
            through = getattr(Practice.history.model, name).model
            column = f"{field.m2m_reverse_field_name()}_id"
            values[name] = sorted(
                through.objects.filter(history=record).values_list(column, flat=True)
            )
        return values
    revision = practice.revisions.filter(version=version).first()
    return text_from_data(revision.data) if revision is not None else None


def _typed(values: dict) -> dict:
    """Stored JSON values (ISO dates, decimal strings) back to the model's types."""
    for name in ("start_date", "end_date", "budget"):
        if name in values and values[name] not in (None, ""):
            values[name] = Practice._meta.get_field(name).to_python(values[name])
        elif name in values:
            values[name] = None
    return values


def compare(before: dict, after: dict) -> list[FieldChange]:
    """The fields whose values differ between two texts, in the form's order, readable:
    names for cities and vocabularies, dates and amounts in the page's format."""
    names = [
        name
        for name in (*PRACTICE_EDITABLE_FIELDS, *PRACTICE_M2M_FIELDS)
        if name in before and name in after and _norm(before[name]) != _norm(after[name])
    ]
    labels = _related_labels(names, before, after)
    changes = []
    for name in names:
        field = Practice._meta.get_field(name)
        old, new = _shown(name, before[name], labels), _shown(name, after[name], labels)
        long = field.get_internal_type() == "TextField" and (
            max(len(old), len(new)) > LONG_TEXT or "\n" in old + new
        )
        changes.append(
            FieldChange(
                name=name,
                label=str(field.verbose_name),
                before=old,
                after=new,
                diff=word_diff(old, new) if long else None,
            )
        )
    return changes


def word_diff(before: str, after: str) -> SafeString:
    """`after` compared with `before` word by word: removed words in <del>, added ones in
    <ins>, everything escaped."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    # every piece of text went through escape() above
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _norm(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _related_labels(names, *texts) -> dict:
    """(field name, id) → label of the cities and vocabulary entries named (a query per
    relation that changed)."""
    labels = {}
    for name in names:
        field = Practice._meta.get_field(name)
        if not field.is_relation:
            continue
        ids = set()
        for text in texts:
            value = text[name]
            ids.update(value if isinstance(value, list) else [value] if value else [])
        for obj in field.related_model.objects.filter(pk__in=ids):
            labels[name, obj.pk] = str(obj)
    return labels


def _shown(name, value, labels) -> str:
    field = Practice._meta.get_field(name)
    if value in (None, "", []):
        return gettext("(empty)")
    if field.many_to_many:
        return ", ".join(sorted(labels.get((name, pk), str(pk)) for pk in value))
    if field.is_relation:
        return labels.get((name, value), str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return str(localize(value))
