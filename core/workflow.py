"""Explicit state machines: the engine every app's machines run on.

A transition names the states it leaves from, the state it reaches, and a
predicate saying who may perform it. ``Machine.apply`` is the only way a
status changes: it checks the actor and the source state, runs the
transition's guard (which raises ``TransitionRefused`` with a Chinese
message), saves the new status and records a ``StatusChange``. Anything
refused leaves the object exactly as it was."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.models import StatusChange


class TransitionRefused(Exception):
    """A transition that is not allowed now; the message is for the user."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed: Callable  # (user, obj) -> bool
    needs_comment: bool = False
    guard: Callable | None = None  # (obj, actor) -> None, raises TransitionRefused
    # (obj, actor) -> None or a note, sets fields listed in effect_fields; a
    # note (what the effect did, e.g. the new dates) is recorded with the comment.
    effect: Callable | None = None
    effect_fields: tuple[str, ...] = ()
    button: str = "primary"


@dataclass(frozen=True)
class Option:
    """A transition offered on a page: ``refusal`` says why it cannot
    succeed now ("" when it can)."""

    transition: Transition
    refusal: str = ""

    def __getattr__(self, name):
        return getattr(self.transition, name)


@dataclass
class Machine:
    """The transitions of one kind of object. ``on_change(change_id=…)``, when
    given, is the owning app's notification handler: it runs once the
    transaction that recorded a step (a transition or ``record``) commits."""

    name: str
    transitions: list[Transition] = field(default_factory=list)
    on_change: Callable | None = None

    def add(self, transition: Transition, *, before: str | None = None) -> None:
        """Add a transition that a higher layer owns (its guard reads that
        layer's records), placed before the action ``before``."""
        if any(t.action == transition.action for t in self.transitions):
            return
        index = next((i for i, t in enumerate(self.transitions) if t.action == before), len(self.transitions))
        self.transitions.insert(index, transition)

    def get(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise TransitionRefused("未知的操作。")

    def available(self, user, obj) -> list[Transition]:
        return [t for t in self.transitions if obj.status in t.sources and t.allowed(user, obj)]

    def refusal(self, user, obj, action: str) -> str:
        """Why ``user`` cannot perform ``action`` on ``obj`` now, or "" when
        it can: the same checks as ``apply`` (actor, state, guard), without
        changing anything. A comment the form has not yet been given is not
        a refusal."""
        try:
            t = self.get(action)
        except TransitionRefused as e:
            return str(e)
        if not t.allowed(user, obj):
            return "您无权执行此操作。"
        if obj.status not in t.sources:
            return f"当前状态为「{obj.get_status_display()}」，不能执行「{t.label}」。"
        if t.guard:
            try:
                t.guard(obj, user)
            except TransitionRefused as e:
                return str(e)
        return ""

    def options(self, user, obj, *, exclude: tuple[str, ...] = ()) -> list["Option"]:
        """The transitions ``user`` may perform from the current state, each
        with the reason it cannot succeed yet ("" when it can): pages show
        the refused ones as disabled buttons that say why, and views refuse
        a POST with the same words."""
        return [
            Option(t, self.refusal(user, obj, t.action)) for t in self.available(user, obj) if t.action not in exclude
        ]

    def apply(self, obj, action: str, *, actor, comment: str = "", save_fields=()) -> StatusChange:
        """Perform ``action`` on ``obj`` as ``actor`` or refuse it unchanged.

        Raises ``PermissionDenied`` when the actor may not perform it and
        ``TransitionRefused`` when the object is not in a state that allows
        it (or its guard refuses)."""
        t = self.get(action)
        if not t.allowed(actor, obj):
            raise PermissionDenied("您无权执行此操作。")
        with transaction.atomic():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            if locked.status not in t.sources:
                raise TransitionRefused(
                    f"当前状态为「{locked.get_status_display()}」，不能执行「{t.label}」。"
                )
            if t.needs_comment and not comment.strip():
                raise TransitionRefused(f"「{t.label}」需要填写意见。")
            if t.guard:
                t.guard(obj, actor)
            from_status = locked.status
            obj.status = t.target
            note = t.effect(obj, actor) if t.effect else None
            obj.save(update_fields=["status", *t.effect_fields, *save_fields])
            comment = "\n".join(part for part in (comment.strip(), note) if part)
            return self._recorded(obj, action=t.action, from_status=from_status, actor=actor, comment=comment)

    def record(self, obj, *, actor, action: str = "create", from_status: str = "", comment: str = "") -> StatusChange:
        """Record a step that is not a status transition: the creation of an
        object in its initial state (who asked, when, why), or a signature on
        the way to the next transition."""
        return self._recorded(obj, action=action, from_status=from_status, actor=actor, comment=comment.strip())

    def _recorded(self, obj, *, action: str, from_status: str, actor, comment: str) -> StatusChange:
        change = StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            action=action,
            from_status=from_status,
            to_status=obj.status,
            actor=actor,
            comment=comment,
        )
        if self.on_change is not None:
            handler, change_id = self.on_change, change.pk
            transaction.on_commit(lambda: handler(change_id=change_id))
        return change


def history(obj):
    """The recorded transitions of ``obj``, oldest first, with their actors."""
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
