"""What a question bank version changes against the one it replaces, as the publish page
and the assessment show it: questions matched by their stable key.

Pure: no Django, no ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from banks.schema import BankData
from kit.texts import _, ngettext


@dataclass(frozen=True)
class QuestionRef:
    key: str
    text: str


@dataclass(frozen=True)
class Rewording:
    key: str
    before: str
    after: str


@dataclass(frozen=True)
class Retranslation:
    """A question's text in one language (`language`: its code) given, changed or taken
    out; `before` or `after` is "" where there was or is no translation."""

    key: str
    language: str
    before: str
    after: str


@dataclass(frozen=True)
class NumberChange:
    """A weight or threshold that moved: `what` names it ("question A1", "GO threshold")."""

    what: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class BankDiff:
    """What a version changes against the one it replaces, questions matched by stable key."""

    added: tuple[QuestionRef, ...] = ()
    removed: tuple[QuestionRef, ...] = ()
    reworded: tuple[Rewording, ...] = ()
    weights: tuple[NumberChange, ...] = ()
    thresholds: tuple[NumberChange, ...] = ()
    retranslated: tuple[Retranslation, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.reworded
            or self.weights
            or self.thresholds
            or self.retranslated
        )

    def summary(self) -> str:
        """One short line, e.g. "2 questions added, 1 question reworded, 3 weights changed"."""
        # Each message written out in full, so that makemessages finds it.
        counts = (
            (
                len(self.added),
                lambda n: ngettext("%(count)d question added", "%(count)d questions added", n),
            ),
            (
                len(self.removed),
                lambda n: ngettext("%(count)d question removed", "%(count)d questions removed", n),
            ),
            (
                len(self.reworded),
                lambda n: ngettext(
                    "%(count)d question reworded", "%(count)d questions reworded", n
                ),
            ),
            (
                len(self.retranslated),
                lambda n: ngettext(
                    "%(count)d translation changed", "%(count)d translations changed", n
                ),
            ),
            (
                len(self.weights),
                lambda n: ngettext("%(count)d weight changed", "%(count)d weights changed", n),
            ),
            (
                len(self.thresholds),
                lambda n: ngettext(
                    "%(count)d threshold changed", "%(count)d thresholds changed", n
                ),
            ),
        )
        parts = [message(count) % {"count": count} for count, message in counts if count]
        return ", ".join(parts) if parts else _("no changes to questions, weights or thresholds")


def bank_diff(old: BankData, new: BankData) -> BankDiff:
    """Compare `new` with `old`: questions added, removed and reworded (by key, in `new`'s
    order, then `old`'s), question and dimension weights and the three thresholds changed."""
    old_q = {q.key: q for d in old.dimensions for q in d.questions}
    new_q = {q.key: q for d in new.dimensions for q in d.questions}
    added = tuple(QuestionRef(k, q.text) for k, q in new_q.items() if k not in old_q)
    removed = tuple(QuestionRef(k, q.text) for k, q in old_q.items() if k not in new_q)
    reworded = tuple(
        Rewording(k, old_q[k].text, q.text)
        for k, q in new_q.items()
        if k in old_q and old_q[k].text != q.text
    )
    old_dims = {d.name: d.weight for d in old.dimensions}
    weights = [
        NumberChange(_("dimension “%(name)s”") % {"name": d.name}, old_dims[d.name], d.weight)
        for d in new.dimensions
        if d.name in old_dims and old_dims[d.name] != d.weight
    ]
    weights += [
        NumberChange(_("question %(key)s") % {"key": k}, old_q[k].weight, q.weight)
        for k, q in new_q.items()
        if k in old_q and old_q[k].weight != q.weight
    ]
    thresholds = tuple(
        NumberChange(what, before, after)
        for what, before, after in (
            (_("GO threshold"), old.go, new.go),
            (_("NO-GO threshold"), old.no_go, new.no_go),
            (_("gap threshold"), old.gap, new.gap),
            (_("perception gap threshold"), old.perception_gap, new.perception_gap),
        )
        if before != after
    )
    retranslated = tuple(
        Retranslation(k, code, before, after)
        for k, q in new_q.items()
        if k in old_q
        for code, before, after in _translated_texts(old_q[k].translations, q.translations)
    )
    return BankDiff(added, removed, reworded, tuple(weights), thresholds, retranslated)


def _translated_texts(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(language, before, after) for each language whose question text differs."""
    old, new = old or {}, new or {}
    codes = sorted({*old, *new})
    pairs = [
        (code, (old.get(code) or {}).get("text", ""), (new.get(code) or {}).get("text", ""))
        for code in codes
    ]
    return [(code, before, after) for code, before, after in pairs if before != after]
