"""One fill path for every respondent (assessments/respondents.py): our assessor's own
response and a partner contact's link answer through the same pages. The section page
(with its no-JavaScript save), the autosave of one answer and the submit page are
written once here; a subclass says whose answers they are, how they save and where its
pages are. What the partner must not see (knock-out levels, the evidence link, previous
rounds) is a flag, not a copy.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from assessments import copies
from assessments.forms import AnswerForm
from assessments.selectors import dimension_questions, fill_dimensions
from banks.sections import section_positions, section_question
from kit.params import parse_choice, parse_optional_int

# Where the fill page's buttons go after saving.
FILL_GOES = ("stay", "next", "previous", "submit")


def section_after(go: str, position: int, count: int) -> int:
    """The section a no-JavaScript fill page shows after saving ("next", "previous" or
    "stay"), kept within the `count` sections."""
    target = {"next": position + 1, "previous": position - 1}.get(go, position)
    return min(max(target, 1), count)


def request_position(request) -> int:
    """The section (`d`, from 1) a fill page or an answer save is about; 1 when absent."""
    raw = request.GET.get("d") or request.POST.get("d")
    return parse_optional_int(raw, name=gettext("d (the section)"), default=1)


def saved_parts(answer) -> str:
    """What an answer holds, in words ("level and comment"); "" for nothing."""
    if answer is None:
        return ""
    parts = []
    if answer.choice_id or answer.is_na or answer.is_dont_know:
        parts.append(gettext("level"))
    if answer.text:
        parts.append(gettext("answer"))
    if answer.comment:
        parts.append(gettext("comment"))
    if len(parts) < 2:
        return "".join(parts)
    return gettext("%(parts)s and %(last)s") % {"parts": ", ".join(parts[:-1]), "last": parts[-1]}


def messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class RespondentPages:
    """What the fill pages ask of a respondent's view. `load_objects` sets `respondent`
    (a Response or a PartnerInvitation) and `assessment`."""

    # Our assessors see which questions can knock out; the partner does not.
    shows_knockouts = True

    def fill_url(self, position=None) -> str:
        raise NotImplementedError

    def answer_url(self, question_id: int) -> str:
        raise NotImplementedError

    def files_url(self, answer) -> str:
        """The page of a saved answer's evidence files, or "" where answers have none."""
        return ""

    def respondent_answers(self) -> dict:
        """The respondent's answers by question id."""
        raise NotImplementedError

    def save_section(self, values: dict) -> None:
        """Save a section's answers (question → services.AnswerValue) in one go."""
        raise NotImplementedError

    def save_answer(self, question, value, then):
        """Save one answer and make `then(answer)` (the reply) in the same transaction:
        an answer whose reply cannot be made is not kept. Returns the reply."""
        raise NotImplementedError

    def submit(self) -> None:
        raise NotImplementedError

    def progress(self, dimensions, position) -> dict:
        """The progress bar's and section links' context."""
        return {
            "dimensions": dimensions,
            "answered": sum(d.answered_count for d in dimensions),
            "total": sum(d.question_count for d in dimensions),
            "position": position,
            "fill_url": self.fill_url(),
        }


class SectionPage(RespondentPages):
    """One section (dimension) at a time. Each answer autosaves through an AnswerSave
    view; this page's POST is the no-JavaScript path that saves the whole section."""

    locked = False  # a submitted or retired response shows its answers read-only

    def load_section(self):
        # Every parameter is read before anything is recorded: bad input changes nothing.
        self.position = request_position(self.request)
        self.answers = self.respondent_answers()
        self.dimensions = fill_dimensions(self.assessment.version, self.answers)
        if not self.dimensions:
            raise Http404(_("This questionnaire has no questions."))
        if not 1 <= self.position <= len(self.dimensions):
            raise Http404(_("No such section in this questionnaire."))
        self.dimension = self.dimensions[self.position - 1]

    def section_context(self, forms=None, previous_answers=None) -> dict:
        questions = dimension_questions(self.dimension, self.answers)
        errors = {}
        if forms:
            errors = {q.pk: forms[q.pk].errors for q in questions if q.pk in forms}
        previous_answers = previous_answers or {}
        for question in questions:
            question.answer_url = self.answer_url(question.pk)
            question.files_url = self.files_url(question.my_answer) if question.my_answer else ""
            question.previous = previous_answers.get(question.key)
            question.errors = errors.get(question.pk)
        count = len(self.dimensions)
        return {
            **self.progress(self.dimensions, self.position),
            "dimension": self.dimension,
            "questions": questions,
            "errors": errors,
            "previous_position": self.position - 1 if self.position > 1 else None,
            "next_position": self.position + 1 if self.position < count else None,
            "locked": self.locked,
            "shows_knockouts": self.shows_knockouts,
            "keeps_evidence": self.respondent.keeps_evidence,
        }

    def post(self, request, *args, **kwargs):
        # Read before anything is saved: a bad value is a 400 with nothing written.
        go = parse_choice(request.POST.get("go"), name="go", choices=FILL_GOES, default="stay")
        questions = dimension_questions(self.dimension, self.answers)
        forms = {q.pk: AnswerForm(request.POST, question=q) for q in questions}
        if not all(form.is_valid() for form in forms.values()):
            messages.error(request, _("Some answers need a fix: nothing on this page was saved."))
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        try:
            self.save_section({q: forms[q.pk].value() for q in questions})
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
            return self.render_to_response(self.get_context_data(), status=400)
        if go == "submit":
            return HttpResponseRedirect(self.submit_url())
        target = section_after(go, self.position, len(self.dimensions))
        messages.success(
            request, _("Answers to “%(section)s” saved.") % {"section": self.dimension.name}
        )
        return HttpResponseRedirect(self.fill_url(target))

    def submit_url(self) -> str:
        raise NotImplementedError


class AnswerSave(RespondentPages):
    """htmx autosave of one answer: returns its saved state (and the progress, out of
    band)."""

    http_method_names = ["post"]

    def load_question(self):
        self.question = section_question(self.assessment.version, self.kwargs["qid"])
        if self.question is None:
            raise Http404(_("No such question in this questionnaire."))
        # Every parameter is read before anything is written: a bad one is a 400, never
        # a 500 after the answer was saved.
        self.position = request_position(self.request)

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST, question=self.question)
        refused_link = ()
        if form.only_link_refused and self.respondent.keeps_evidence:
            # A bad link must not cost the comment typed next to it: the rest saves, the
            # link is marked and the last good one kept (422: saved, but not all of it).
            refused_link = form.errors["evidence_url"]
        elif not (form.is_valid() or form.only_link_refused):
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.status(errors=errors, status=400)
        try:
            return self.save_answer(
                self.question,
                form.value(),
                then=lambda answer: self.status(
                    answer=answer,
                    refused_link=refused_link,
                    status=422 if refused_link else 200,
                    with_progress=True,
                ).render(),
            )
        except ValidationError as exc:
            return self.status(errors=exc.messages, status=400)

    def status(self, *, answer=None, errors=(), refused_link=(), status=200, with_progress=False):
        context = {
            "question": self.question,
            "answer": answer,
            "errors": errors,
            "refused_link": refused_link,
            "saved_parts": saved_parts(answer),
            "shows_knockouts": self.shows_knockouts,
        }
        if with_progress:
            dimensions = fill_dimensions(self.assessment.version, self.respondent_answers())
            context.update(self.progress(dimensions, self.position), oob=True)
        return TemplateResponse(
            self.request, "assessments/_answer_saved.html", context, status=status
        )


class SubmitPage(RespondentPages):
    """What is still missing, each with a link to its section, and a summary of every
    answer as given (assessments/copies.py), an unanswered question linked to its place
    on the fill page; POST submits."""

    def summary_context(self) -> dict:
        # Once submitted there is nothing to go back and answer: no links.
        link = None if self.respondent.is_submitted else self.fill_url
        sections = copies.copy_sections(self.respondent, self.respondent_answers(), link)
        return {
            "summary": sections,
            "unanswered": copies.unanswered(sections),
            "keeps_evidence": self.respondent.keeps_evidence,
        }

    def missing_context(self, missing) -> dict:
        positions = section_positions(self.assessment.version)
        return {
            "missing": [
                (q, f"{self.fill_url(positions[q.dimension_id])}#q-{q.pk}") for q in missing
            ],
            "fill_url": self.fill_url(),
        }

    def post(self, request, *args, **kwargs):
        try:
            self.submit()
        except ValidationError as exc:
            if getattr(exc, "code", None) != "missing":
                messages.error(request, messages_of(exc))
            return self.render_to_response(self.get_context_data(), status=400)
        return self.submitted()

    def submitted(self):
        raise NotImplementedError
