"""The questions of a fill page section as HTML, written in Python.

The fill page's cost grows with its questions. In the template language a question cost
some 60 variables, tags and translations, each tens of thousands of CPU instructions (about
4.5 million a question, most of the page); built here with format strings, a tenth of
that, and Django's format_html (its lazy-string checks on every value) cost several times
more. The markup is the one the template had: an id, a name or an aria attribute changed
is a change for htmx, static/js/app.js and the browser tests.

Every value from the bank, the answer or a form goes through `_e` (HTML-escaped, as the
template's {{ }} did); numbers and our own fragments go in as they are. Like
{% translate %}, our catalogue's translations are not escaped, the values put into them
are (`_fill`).

The questions come from selectors.dimension_questions, with `answer_url`, `previous` and
`errors` set by FillView.
"""

import html
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext


def _e(value) -> str:
    """`value` escaped for HTML text or a quoted attribute, unless already safe HTML:
    Django's conditional_escape, without its lazy-string check on every call."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _fill(translation: str, **values) -> str:
    """`translation` % `values`, as {% blocktranslate %} does it: the values escaped."""
    return translation % {name: _e(value) for name, value in values.items()}


@dataclass(frozen=True)
class _Words:
    """The section's fixed words, translated once per page rather than once per question."""

    required: str
    knockout: str
    knockout_note: str
    na: str
    dont_know: str
    answer_to: str
    comment_on: str
    evidence_for: str
    saved: str
    previous_round: str
    no_previous: str

    @classmethod
    def active(cls, previous_title: str) -> "_Words":
        # gettext outside the f-strings: makemessages finds no call inside one.
        required, hidden, knockout = (
            gettext("Required"),
            gettext("(required)"),
            gettext("knock-out"),
        )
        return cls(
            required=(
                f' <span class="text-danger" title="{required}">*</span>'
                f'<span class="visually-hidden">{hidden}</span>'
            ),
            knockout=f' <span class="badge text-bg-light border">{knockout}</span>',
            knockout_note=gettext(
                "Knock-out question: an answer at level %(level)s or below opens a finding "
                "for the manager to classify."
            ),
            na=gettext("N/A — does not apply to this alliance"),
            dont_know=gettext("Don't know"),
            answer_to=gettext("Answer to %(key)s"),
            comment_on=gettext("Comment on %(key)s"),
            evidence_for=gettext("Evidence link for %(key)s"),
            saved=gettext("Saved %(time)s"),
            previous_round=_fill(gettext("Previous round (“%(title)s”):"), title=previous_title),
            no_previous=gettext("no comparable answer (new question, N/A or not scored)"),
        )


def questions_html(
    questions, *, locked: bool, position: int, previous_title: str | None
) -> SafeString:
    """The section's questions, one <fieldset> each. `previous_title` is the previous
    round's title when the page shows previous answers, else None."""
    words = _Words.active(previous_title or "")
    shows_previous = previous_title is not None
    return mark_safe(
        "".join(_question(q, words, locked, position, shows_previous) for q in questions)
    )


def _question(question, words: _Words, locked: bool, position: int, shows_previous) -> str:
    pk, key, prefix = question.pk, question.key, question.form_prefix
    answer = question.my_answer
    errors = question.errors
    knockout = question.knockout_level is not None
    if locked:
        attributes = " disabled"
    else:
        attributes = (
            f' hx-post="{_e(question.answer_url)}" hx-trigger="change"'
            f' hx-target="#status-q{pk}" hx-swap="innerHTML" hx-vals=\'{{"d": "{position}"}}\''
        )
    parts = [
        f'\n<fieldset class="card mb-3" id="q-{pk}"{attributes}',
        f' aria-describedby="ko-q{pk}">\n' if knockout else ">\n",
        '  <div class="card-body">\n',
        f'    <legend class="h6 mb-1"><span class="text-secondary me-1">{_e(key)}</span>'
        f" {_e(question.text)}{words.required if question.required else ''}"
        f"{words.knockout if knockout else ''}</legend>\n",
    ]
    if knockout:
        note = _fill(words.knockout_note, level=question.knockout_level)
        parts.append(f'    <p class="small text-body-secondary mb-1" id="ko-q{pk}">{note}</p>\n')
    if question.help:
        parts.append(f'    <p class="small text-secondary mb-2">{_e(question.help)}</p>\n')
    if shows_previous:
        parts.append(_previous(question, words))
    if errors:
        said = "".join(f"{_e(e)} " for field_errors in errors.values() for e in field_errors)
        parts.append(f'    <div class="alert alert-danger py-1 small" role="alert">{said}</div>\n')
    parts.append(_text(question, words) if question.kind == "text" else _levels(question, words))
    invalid = ' is-invalid" aria-invalid="true' if errors and "evidence_url" in errors else ""
    comment = _e(answer.comment) if answer else ""
    evidence_url = _e(answer.evidence_url) if answer else ""
    parts.append(
        '    <div class="row g-2">\n'
        '      <div class="col-md-7">\n'
        f'        <label class="form-label small mb-0" for="{prefix}-comment">'
        f"{_fill(words.comment_on, key=key)}</label>\n"
        f'        <textarea class="form-control form-control-sm" rows="1" id="{prefix}-comment"'
        f' name="{prefix}-comment" maxlength="2000">{comment}</textarea>\n'
        "      </div>\n"
        '      <div class="col-md-5">\n'
        f'        <label class="form-label small mb-0" for="{prefix}-evidence_url">'
        f"{_fill(words.evidence_for, key=key)}</label>\n"
        f'        <input class="form-control form-control-sm{invalid}" type="url"'
        f' id="{prefix}-evidence_url" name="{prefix}-evidence_url" maxlength="500"'
        f' value="{evidence_url}" placeholder="https://">\n'
        "      </div>\n"
        "    </div>\n"
        f'    <div id="status-q{pk}" class="small mt-2" role="status" aria-live="polite">'
        f"{_state(answer, words)}</div>\n"
        "  </div>\n"
        "</fieldset>\n"
    )
    return "".join(parts)


def _state(answer, words: _Words) -> str:
    """The saved state as _answer_state.html shows it before any change (autosave swaps
    that partial in)."""
    if answer is None:
        return ""
    time = date_format(localtime(answer.updated_at), "SHORT_DATETIME_FORMAT")
    return f'<span class="text-secondary">{_fill(words.saved, time=time)}</span>'


def _previous(question, words: _Words) -> str:
    prev = question.previous
    if prev is None:
        said = f'<span class="text-secondary">{words.no_previous}</span>'
    elif prev.assessors > 1:
        median = ngettext(
            "(median of %(n)s assessor)", "(median of %(n)s assessors)", prev.assessors
        )
        said = (
            f'{_e(prev.text)} <span class="text-secondary">{_fill(median, n=prev.assessors)}</span>'
        )
    else:
        said = _e(prev.text)
    return (
        f'    <p class="small mb-2 previous-answer" id="prev-q{question.pk}">'
        f'<span class="fw-semibold">{words.previous_round}</span> {said}</p>\n'
    )


def _text(question, words: _Words) -> str:
    prefix, answer = question.form_prefix, question.my_answer
    return (
        f'    <label class="form-label visually-hidden" for="{prefix}-text">'
        f"{_fill(words.answer_to, key=question.key)}</label>\n"
        f'    <textarea class="form-control mb-2" rows="3" id="{prefix}-text" name="{prefix}-text"'
        f' maxlength="4000">{_e(answer.text) if answer else ""}</textarea>\n'
    )


def _levels(question, words: _Words) -> str:
    """The radio buttons: the bank's choices (numbered on a scale), then N/A and
    "don't know" where the question allows them."""
    prefix, answer = question.form_prefix, question.my_answer
    scale = question.kind == "scale"
    rows = ['    <div class="mb-2">\n']
    for number, choice in enumerate(question.choice_list):
        checked = " checked" if choice.checked else ""
        shown = f'<span class="fw-semibold">{number}</span> — ' if scale else ""
        rows.append(
            '      <div class="form-check">\n'
            f'        <input class="form-check-input" type="radio" name="{prefix}-level"'
            f' id="{prefix}-c{choice.pk}" value="{choice.pk}"{checked}>\n'
            f'        <label class="form-check-label" for="{prefix}-c{choice.pk}">'
            f"{shown}{_e(choice.label)}</label>\n"
            "      </div>\n"
        )
    if question.allows_na:
        rows.append(_other(prefix, "na", words.na, answer is not None and answer.is_na))
    if question.allows_dont_know:
        rows.append(
            _other(prefix, "dk", words.dont_know, answer is not None and answer.is_dont_know)
        )
    rows.append("    </div>\n")
    return "".join(rows)


def _other(prefix: str, value: str, label: str, checked: bool) -> str:
    """N/A or "don't know": a radio button of the same group as the choices."""
    return (
        '      <div class="form-check"><input class="form-check-input" type="radio"'
        f' name="{prefix}-level" id="{prefix}-{value}" value="{value}"'
        f"{' checked' if checked else ''}>"
        f'<label class="form-check-label" for="{prefix}-{value}">{label}</label></div>\n'
    )
