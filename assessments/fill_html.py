"""The questions of a fill page section, rendered with Jinja2
(jinja2/assessments/fill_questions.html).

The fill page's cost grows with its questions: in Django's template language a question
cost some 60 variables, tags and translations, most of the page. Jinja2 compiles the
same markup to Python and autoescapes every value, so the page keeps a template at a
fraction of the cost. The section's fixed words are translated once per page here
(makemessages reads this module, not the Jinja2 template); they are our catalogue's
text, marked safe, and the values put into them are escaped (`Markup % values`), as
{% blocktranslate %} does.

The questions come from selectors.dimension_questions, with `answer_url`, `previous` and
`errors` set by the section page (assessments/fill_views.py), ours or the partner's:
the partner's page shows no knock-out level and asks for no evidence link.
"""

from dataclasses import dataclass
from functools import cache

from django.template import engines
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from markupsafe import Markup


@dataclass(frozen=True)
class _Words:
    """The section's fixed words, translated once per page rather than once per question."""

    required: Markup
    knockout: Markup
    knockout_note: Markup
    na: Markup
    dont_know: Markup
    answer_to: Markup
    comment_on: Markup
    evidence_for: Markup
    files: Markup
    saved: Markup
    previous_round: Markup
    no_previous: Markup

    @classmethod
    def active(cls, previous_title: str) -> "_Words":
        return cls(
            required=Markup(
                ' <span class="text-danger" title="%s">*</span>'
                '<span class="visually-hidden">%s</span>'
            )
            % (gettext("Required"), gettext("(required)")),
            knockout=Markup(' <span class="badge text-bg-light border">%s</span>')
            % gettext("knock-out"),
            knockout_note=Markup(
                gettext(
                    "Knock-out question: an answer at level %(level)s or below opens a "
                    "finding for the manager to classify."
                )
            ),
            na=Markup(gettext("N/A — does not apply to this alliance")),
            dont_know=Markup(gettext("Don't know")),
            answer_to=Markup(gettext("Answer to %(key)s")),
            comment_on=Markup(gettext("Comment on %(key)s")),
            evidence_for=Markup(gettext("Evidence link for %(key)s")),
            files=Markup(gettext("Evidence files for %(key)s")),
            saved=Markup(gettext("Saved %(time)s")),
            previous_round=Markup(gettext("Previous round (“%(title)s”):"))
            % {"title": previous_title},
            no_previous=Markup(gettext("no comparable answer (new question, N/A or not scored)")),
        )

    @staticmethod
    def median(assessors: int) -> Markup:
        return Markup(
            ngettext("(median of %(n)s assessor)", "(median of %(n)s assessors)", assessors)
        ) % {"n": assessors}


def _saved_time(answer) -> str:
    return date_format(localtime(answer.updated_at), "SHORT_DATETIME_FORMAT")


@cache
def _template():
    return engines["jinja2"].env.get_template("assessments/fill_questions.html")


def questions_html(
    questions,
    *,
    locked: bool,
    position: int,
    previous_title: str | None,
    shows_knockouts: bool = True,
    keeps_evidence: bool = True,
) -> Markup:
    """The section's questions, one <fieldset> each. `previous_title` is the previous
    round's title when the page shows previous answers, else None."""
    return Markup(
        _template().render(
            questions=questions,
            words=_Words.active(previous_title or ""),
            shows_previous=previous_title is not None,
            shows_knockouts=shows_knockouts,
            keeps_evidence=keeps_evidence,
            locked=locked,
            position=position,
            saved_time=_saved_time,
        )
    )
