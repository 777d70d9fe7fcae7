"""What files can be attached to: each app that owns such a thing (an answer, a finding,
a condition, a sponsor signal) adds a `TargetKind` to `target_kinds` from its
`AppConfig.ready()`, saying how to find it within an alliance, who may attach or remove
files, and when its files are locked. Evidence calls them without importing those apps."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model

from kit.registry import Registry


@dataclass(frozen=True)
class TargetKind:
    """One kind of thing files attach to. `name` is its part of the URL."""

    name: str
    model: type[Model]
    # Singular noun for pages and the brief ("answer"), translated when read.
    label: Callable[[], str]
    # The thing of this alliance with this id, or None (another alliance's id is no thing).
    find: Callable[[Model, int], Model | None]
    # Whether the user may attach files to it and remove them: the right that edits its
    # evidence link on its own page.
    may_change: Callable[[Model, Model], bool]
    # Why its files can no longer change (a submitted answer), or "".
    locked: Callable[[Model], str]
    # Its own page (the way back from its files).
    back_url: Callable[[Model], str]
    # A short text saying which one it is ("A1 of “Partner check”").
    describe: Callable[[Model], str]

    # Whether its own page shows its files (the upload and delete forms return there);
    # if not, they return to its files page.
    page_shows_files: bool = True

    def __call__(self, obj: Model) -> bool:
        """Whether `obj` is of this kind."""
        return isinstance(obj, self.model)


target_kinds: Registry[TargetKind] = Registry("evidence targets")


def kind_named(name: str) -> TargetKind | None:
    return next((kind for kind in target_kinds if kind.name == name), None)


def kind_of(obj: Model) -> TargetKind | None:
    return next((kind for kind in target_kinds if kind(obj)), None)


def kind_of_model(model: type[Model]) -> TargetKind | None:
    return next((kind for kind in target_kinds if kind.model is model), None)
