"""修改记录: who changed a tracked record, when, from what to what and why
(DOMAIN.md §12). The rows are kept by django-simple-history (a
``history = HistoricalRecords()`` on the model); services name the actor and
the reason with ``tracked``, and pages read the changes with ``change_rows``."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import models

# Bookkeeping fields that change with every save and tell a reader nothing.
SKIPPED_FIELDS = {"id", "updated_at", "assessed_at"}


def tracked(instance, *, actor, reason: str = ""):
    """Name who makes the next save of ``instance`` and why; returns it."""
    instance._history_user = actor
    instance._change_reason = (reason or "").strip()[:100]
    return instance


@dataclass(frozen=True)
class ChangeRow:
    at: datetime
    user: Any  # a user or None; the page formats it as a person's name
    subject: str  # which record, for pages that list several
    field: str
    old: str
    new: str
    reason: str


def _shown(field, value) -> str:
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _field_value(record, field):
    return getattr(record, field.attname)


def _shown_on(record, field) -> str:
    """A value as shown on a page; a related record by its name (one query,
    only for a field that changed)."""
    if field.is_relation and getattr(record, field.attname) is not None:
        try:
            return str(getattr(record, field.name))
        except field.related_model.DoesNotExist:
            return "（已删除）"
    return _shown(field, getattr(record, field.attname))


def change_rows(records, *, subject=lambda record: "", skip=()) -> list[ChangeRow]:
    """Every change in ``records`` (historical rows, e.g. ``obj.history.all()``
    or ``Model.history.filter(...)``), newest first: one row per changed
    field, with the values shown as on the object's page. A record's first
    version is listed as 新建 with its values."""
    skipped = SKIPPED_FIELDS | set(skip)
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of: dict[Any, Any] = {}
    rows: list[ChangeRow] = []
    for record in ordered:
        fields = [
            f for f in record.instance_type._meta.concrete_fields if f.name not in skipped and not f.auto_created
        ]
        before = previous_of.get(record.id)
        label = subject(record)
        user = record.history_user
        reason = record.history_change_reason or ""
        if record.history_type == "-":
            rows.append(ChangeRow(record.history_date, user, label, "删除", "有记录", "已删除", reason))
        elif before is None:
            shown = "；".join(
                f"{f.verbose_name}：{_shown(f, _field_value(record, f))}"
                for f in fields
                if not f.is_relation and _field_value(record, f) not in (None, "")
            )
            rows.append(ChangeRow(record.history_date, user, label, "新建", "—", shown, reason))
        else:
            for f in fields:
                old, new = _field_value(before, f), _field_value(record, f)
                if old != new:
                    rows.append(ChangeRow(
                        record.history_date, user, label, str(f.verbose_name), _shown_on(before, f), _shown_on(record, f),
                        reason,
                    ))
        previous_of[record.id] = record
    rows.reverse()
    return rows


def states_at(records, times, *, key=lambda record: record.id) -> list[dict]:
    """The records as they stood at each of ``times`` (ascending): for each
    time a dict key → latest historical row saved before it (deleted ones
    left out). ``records`` is a history queryset; it is read once."""
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    snapshots: list[dict] = []
    state: dict = {}
    i = 0
    for record in ordered:
        while i < len(times) and record.history_date > times[i]:
            snapshots.append(dict(state))
            i += 1
        if record.history_type == "-":
            state.pop(key(record), None)
        else:
            state[key(record)] = record
    snapshots += [dict(state) for _ in range(len(times) - i)]
    return snapshots
