"""Assessment pages: start, assessors, fill in (htmx autosave or plain submit), submit,
reopen, findings, results and history. Access goes through alliances/access.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.edit import FormView

from alliances.access import Action
from alliances.views import AllianceMixin, ServiceFormMixin
from assessments import exports, history_reasons, round_selectors, selectors, services
from assessments.forms import (
    AnswerForm,
    AssessmentStartForm,
    AssessorsForm,
    ConditionForm,
    FindingForm,
    ReassessForm,
    ReassessmentIntervalsForm,
)
from assessments.models import Answer, Assessment, Finding, ReassessmentInterval, Response
from assessments.partner import selectors as partner_selectors
from assessments.partner import services as partner_services
from assessments.rounds import DEFAULT_MONTHS
from banks import services as bank_services
from banks.models import BankVersion
from banks.sections import section_positions, section_question
from kit.params import parse_choice, parse_optional_int
from kit.people import display_name
from kit.spreadsheets import Sheet, csv_response, download_name, xlsx_response

HISTORY_PAGE_SIZE = 50
# Where the fill page's buttons go after saving.
FILL_GOES = ("stay", "next", "previous", "submit")


def section_after(go: str, position: int, count: int) -> int:
    """The section a no-JavaScript fill page shows after saving ("next", "previous" or
    "stay"), kept within the `count` sections."""
    target = {"next": position + 1, "previous": position - 1}.get(go, position)
    return min(max(target, 1), count)


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class AssessmentMixin(AllianceMixin):
    """An assessment of this alliance only: an id from another alliance is a 404."""

    def load_objects(self):
        self.assessment = get_object_or_404(
            Assessment.objects.select_related("version__bank", "created_by", "previous"),
            pk=self.kwargs["pk"],
            alliance=self.alliance,
        )
        self.assessment.alliance = self.alliance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessment"] = self.assessment
        return context


class OwnResponseMixin(AssessmentMixin):
    """The signed-in assessor's own response: anyone else's id is a 404."""

    action = Action.ANSWER

    def load_objects(self):
        # One query for the response and its assessment: the fill page's budget is tight.
        # (Not the assessment's creator: no page of an assessor's own response shows it.)
        self.response = get_object_or_404(
            Response.objects.select_related("assessment__version__bank", "assessment__previous"),
            pk=self.kwargs["rid"],
            assessment_id=self.kwargs["pk"],
            assessor=self.request.user,
        )
        self.assessment = self.response.assessment
        # The alliance checked here rather than joined into the query: same answer, cheaper.
        if self.assessment.alliance_id != self.alliance.pk:
            raise Http404
        self.assessment.alliance = self.alliance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response"] = self.response
        return context

    def fill_url(self, position=None):
        url = reverse(
            "assessments:fill", args=[self.alliance.slug, self.assessment.pk, self.response.pk]
        )
        return f"{url}?d={position}" if position else url


class AssessmentListView(AllianceMixin, TemplateView):
    template_name = "assessments/assessment_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessments = list(selectors.alliance_assessments(self.alliance))
        mine = dict(
            Response.objects.filter(
                assessment__in=assessments, assessor=self.request.user
            ).values_list("assessment_id", "pk")
        )
        for assessment in assessments:
            assessment.my_response_id = mine.get(assessment.pk)
        context["assessments"] = assessments
        context["status"] = round_selectors.reassessment_statuses([self.alliance])[self.alliance.pk]
        return context


class AssessmentStartView(AllianceMixin, ServiceFormMixin, FormView):
    action = Action.RUN_ASSESSMENT
    form_class = AssessmentStartForm
    heading = _("Start an assessment")
    success_message = _("Assessment started. Each assessor now fills in their own answers.")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "alliance": self.alliance,
            "user": self.request.user,
            "two_sided": self.two_sided,
        }

    @property
    def two_sided(self) -> bool:
        return self.request.GET.get("two_sided") == "1"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.two_sided:
            context["heading"] = gettext("Start a two-sided assessment")
        return context

    def save(self, form):
        return services.assessment_start(
            alliance=self.alliance,
            version=form.cleaned_data["version"],
            title=form.cleaned_data["title"],
            created_by=self.request.user,
            assessors=form.cleaned_data["assessors"],
        )

    def get_back(self):
        return reverse("assessments:list", args=[self.alliance.slug]), _("Assessments")

    def get_success_url(self):
        return self.object.get_absolute_url()


class AssessmentDetailView(AssessmentMixin, TemplateView):
    template_name = "assessments/assessment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        responses = list(
            self.assessment.responses.select_related("assessor", "reopened_by").order_by(
                "assessor__username"
            )
        )
        context["responses"] = responses
        context["my_response"] = next(
            (r for r in responses if r.assessor_id == self.request.user.pk), None
        )
        context["findings"] = selectors.alliance_findings(self.alliance, [self.assessment])
        context["version_changes"] = bank_services.version_changes_since(self.assessment.version)
        if partner_services.is_two_sided(self.assessment):
            context["invitations"] = partner_selectors.invitation_rows(self.assessment)
            context["two_sided"] = True
        context["next_rounds"] = list(self.assessment.next_rounds.order_by("created_at", "pk"))
        return context


class AssessorsView(AssessmentMixin, ServiceFormMixin, FormView):
    action = Action.RUN_ASSESSMENT
    form_class = AssessorsForm
    heading = _("Assessors")
    success_message = _("Assessors saved.")

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "alliance": self.alliance}
        kwargs["initial"] = {
            "assessors": list(self.assessment.responses.values_list("assessor_id", flat=True))
        }
        return kwargs

    def save(self, form):
        return services.assessment_set_assessors(
            assessment=self.assessment,
            assessors=form.cleaned_data["assessors"],
            by=self.request.user,
        )

    def get_back(self):
        return self.assessment.get_absolute_url(), self.assessment.title

    def get_success_url(self):
        return self.assessment.get_absolute_url()


class FillView(OwnResponseMixin, TemplateView):
    """One dimension at a time. Each answer autosaves through AnswerView; this view's POST
    is the no-JavaScript path that saves the whole dimension at once."""

    template_name = "assessments/fill.html"

    def load_objects(self):
        super().load_objects()
        self.answers = selectors.response_answers(self.response)
        self.dimensions = selectors.fill_dimensions(self.assessment.version, self.answers)
        if not self.dimensions:
            raise Http404(_("This question bank has no questions."))
        self.position = request_position(self.request)
        if not 1 <= self.position <= len(self.dimensions):
            raise Http404(_("No such section in this assessment."))
        self.dimension = self.dimensions[self.position - 1]
        self.retired = self.assessment.version.status == BankVersion.Status.RETIRED

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = selectors.dimension_questions(self.dimension, self.answers)
        errors = {}
        if forms:
            errors = {q.pk: forms[q.pk].errors for q in questions if q.pk in forms}
        previous_answers = round_selectors.previous_answers(self.assessment)
        # What the template would otherwise work out per question, at a cost that grows
        # with the section: one reverse() for all the answer URLs, lookups done here.
        head, _qid, tail = reverse(
            "assessments:answer",
            args=[self.alliance.slug, self.assessment.pk, self.response.pk, 0],
        ).rpartition("/0/")
        for question in questions:
            question.answer_url = f"{head}/{question.pk}/{tail}"
            question.previous = previous_answers.get(question.key)
            question.errors = errors.get(question.pk)
        answered = sum(d.answered_count for d in self.dimensions)
        total = sum(d.question_count for d in self.dimensions)
        context.update(
            dimensions=self.dimensions,
            dimension=self.dimension,
            position=self.position,
            questions=questions,
            errors=errors,
            answered=answered,
            total=total,
            previous_position=self.position - 1 if self.position > 1 else None,
            next_position=self.position + 1 if self.position < len(self.dimensions) else None,
            locked=self.response.is_submitted or self.retired,
            retired=self.retired,
            previous_answers=previous_answers,
        )
        return context

    def post(self, request, *args, **kwargs):
        # Read before anything is saved: a bad value is a 400 with nothing written.
        go = parse_choice(request.POST.get("go"), name="go", choices=FILL_GOES, default="stay")
        questions = selectors.dimension_questions(self.dimension, self.answers)
        forms = {q.pk: AnswerForm(request.POST, question=q) for q in questions}
        if not all(form.is_valid() for form in forms.values()):
            messages.error(request, _("Some answers need a fix: nothing on this page was saved."))
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        try:
            services.answers_save(
                response=self.response,
                values={q: forms[q.pk].value() for q in questions},
                user=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return self.render_to_response(self.get_context_data(), status=400)
        if go == "submit":
            return redirect(
                "assessments:submit", self.alliance.slug, self.assessment.pk, self.response.pk
            )
        target = section_after(go, self.position, len(self.dimensions))
        messages.success(
            request, _("Answers to “%(section)s” saved.") % {"section": self.dimension.name}
        )
        return HttpResponseRedirect(self.fill_url(target))


class AnswerView(OwnResponseMixin, View):
    """htmx autosave of one answer: returns its saved state (and the progress, out of band)."""

    http_method_names = ["post"]

    def load_objects(self):
        super().load_objects()
        self.question = section_question(self.assessment.version, self.kwargs["qid"])
        if self.question is None:
            raise Http404(_("No such question in this assessment."))
        # Every parameter is read before anything is written: a bad one is a 400, never
        # a 500 after the answer was saved.
        self.position = request_position(self.request)

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST, question=self.question)
        refused_link = ()
        if form.only_link_refused:
            # A bad link must not cost the comment typed next to it: the rest saves, the
            # link is marked and the last good one kept (422: saved, but not all of it).
            refused_link = form.errors["evidence_url"]
        elif not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.status(errors=errors, status=400)
        # The save and the page that reports it are one transaction: if the page
        # cannot be rendered, the answer is not kept either. (No savepoint of its own:
        # the service has one, and the fill page's query budget is tight.)
        with transaction.atomic(savepoint=False):
            try:
                answer = services.answer_save(
                    response=self.response,
                    question=self.question,
                    value=form.value(),
                    user=request.user,
                )
            except ValidationError as exc:
                return self.status(errors=exc.messages, status=400)
            if refused_link:
                return self.status(
                    answer=answer, refused_link=refused_link, status=422, with_progress=True
                ).render()
            return self.status(answer=answer, with_progress=True).render()

    def status(self, *, answer=None, errors=(), refused_link=(), status=200, with_progress=False):
        context = {
            "question": self.question,
            "answer": answer,
            "errors": errors,
            "refused_link": refused_link,
            "saved_parts": saved_parts(answer),
        }
        if with_progress:
            dimensions = selectors.fill_dimensions(
                self.assessment.version, selectors.response_answers(self.response)
            )
            context.update(
                alliance=self.alliance,
                assessment=self.assessment,
                response=self.response,
                dimensions=dimensions,
                answered=sum(d.answered_count for d in dimensions),
                total=sum(d.question_count for d in dimensions),
                position=self.position,
                oob=True,
            )
        return TemplateResponse(
            self.request, "assessments/_answer_saved.html", context, status=status
        )


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


def request_position(request) -> int:
    """The section (`d`, from 1) a fill page or an answer save is about; 1 when absent."""
    raw = request.GET.get("d") or request.POST.get("d")
    return parse_optional_int(raw, name=gettext("d (the section)"), default=1)


class SubmitView(OwnResponseMixin, TemplateView):
    template_name = "assessments/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        missing = services.missing_required(self.response)
        positions = section_positions(self.assessment.version)
        context["missing"] = [
            (q, f"{self.fill_url(positions[q.dimension_id])}#q-{q.pk}") for q in missing
        ]
        context["fill_url"] = self.fill_url()
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.response_submit(response=self.response, user=request.user)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "missing":
                messages.error(request, _messages_of(exc))
            return self.render_to_response(self.get_context_data(), status=400)
        self.assessment.refresh_from_db(fields=["status"])
        if self.assessment.is_submitted:
            messages.success(
                request, _("Submitted. Every assessor has now submitted: see the results.")
            )
            return redirect("assessments:results", self.alliance.slug, self.assessment.pk)
        messages.success(request, _("Your answers are submitted and locked. Thank you."))
        return redirect(self.assessment)


class ReopenView(AssessmentMixin, TemplateView):
    action = Action.RUN_ASSESSMENT
    template_name = "assessments/reopen.html"

    def load_objects(self):
        super().load_objects()
        self.response = get_object_or_404(
            Response.objects.select_related("assessor"),
            pk=self.kwargs["rid"],
            assessment=self.assessment,
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "response": self.response}

    def post(self, request, *args, **kwargs):
        try:
            services.response_reopen(response=self.response, by=request.user)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return redirect(self.assessment)
        messages.success(
            request,
            _("%(name)s's response is open for changes again.")
            % {"name": display_name(self.response.assessor)},
        )
        return redirect(self.assessment)


class FindingView(AssessmentMixin, ServiceFormMixin, FormView):
    action = Action.RUN_ASSESSMENT
    form_class = FindingForm
    template_name = "assessments/finding_form.html"
    heading = _("Classify a finding")
    success_message = _("Finding classified.")

    def load_objects(self):
        super().load_objects()
        self.finding = get_object_or_404(
            Finding.objects.select_related("question", "answer__choice", "response__assessor"),
            pk=self.kwargs["fid"],
            assessment=self.assessment,
        )
        self.finding.assessment = self.assessment

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.finding, "alliance": self.alliance}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "finding": self.finding}

    def save(self, form):
        return services.finding_classify(finding=form.instance, by=self.request.user)

    def get_back(self):
        return self.assessment.get_absolute_url() + "#findings", self.assessment.title

    def get_success_url(self):
        return self.assessment.get_absolute_url() + "#findings"


class ResultsView(AssessmentMixin, TemplateView):
    template_name = "assessments/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        responses = list(
            self.assessment.responses.filter(status=Response.Status.SUBMITTED)
            .select_related("assessor")
            .order_by("assessor__username")
        )
        score = selectors.assessment_score(self.assessment)
        rows = selectors.answer_rows(self.assessment, responses)
        questions = {q.key: q for _, items in rows for q, _ in items}
        medians = score.median_by_key
        context.update(
            score=score,
            responses=responses,
            pending=self.assessment.responses.exclude(status=Response.Status.SUBMITTED).count(),
            rows=rows,
            questions=questions,
            medians=medians,
            gaps=[(g, questions[g.key]) for g in score.gaps[:10]],
            knockouts=[(k, questions[k.key]) for k in score.knockouts],
            disagreements=[(d, questions[d.key]) for d in score.disagreements],
            dont_know=[questions[k] for k in score.dont_know],
            findings=selectors.alliance_findings(self.alliance, [self.assessment]),
            comparison=round_selectors.round_comparison(self.assessment),
        )
        if partner_services.is_two_sided(self.assessment):
            context["perception"] = selectors.assessment_perception(self.assessment, score)
            context["company"] = partner_services.our_company_name()
        return context


class HistoryView(AssessmentMixin, TemplateView):
    """Every change to every answer and response, newest first (for the manager)."""

    action = Action.RUN_ASSESSMENT
    template_name = "assessments/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        changes = (
            Answer.history.filter(response__assessment=self.assessment)
            .select_related("history_user", "question", "choice", "response__assessor")
            .order_by("-history_date", "-history_id")
        )
        page = Paginator(changes, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        context["changes"] = page.object_list
        events = list(
            Response.history.filter(assessment=self.assessment)
            .exclude(history_change_reason=None)
            .select_related("history_user", "assessor")
            .order_by("-history_date")
        )
        for event in events:
            event.reason = history_reasons.in_words(event.history_change_reason)
        context["response_events"] = events
        return context


class AssessmentDeleteView(AssessmentMixin, TemplateView):
    action = Action.RUN_ASSESSMENT
    template_name = "assessments/assessment_delete.html"

    def post(self, request, *args, **kwargs):
        try:
            services.assessment_delete(assessment=self.assessment, by=request.user)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return redirect(self.assessment)
        messages.success(
            request, _("Assessment “%(title)s” deleted.") % {"title": self.assessment.title}
        )
        return redirect("assessments:list", self.alliance.slug)


class ConditionView(AssessmentMixin, ServiceFormMixin, FormView):
    """Progress of a manageable finding's condition, by a manager or its owner."""

    form_class = ConditionForm
    template_name = "assessments/condition_form.html"
    heading = _("Follow up a condition")
    success_message = _("Condition updated.")

    def load_objects(self):
        super().load_objects()
        self.finding = get_object_or_404(
            Finding.objects.select_related("question", "owner_user"),
            pk=self.kwargs["fid"],
            assessment=self.assessment,
            classification=Finding.Classification.MANAGEABLE,
        )
        self.finding.assessment = self.assessment
        if not services.may_update_condition(self.request.user, self.finding):
            raise PermissionDenied(_("Only the alliance's managers and the condition's owner may."))

    def get_initial(self):
        return {
            "status": self.finding.condition_status,
            "done_note": self.finding.done_note,
            "done_on": self.finding.done_on,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["finding"] = self.finding
        context["overdue"] = self.finding.is_overdue(timezone.localdate())
        return context

    def save(self, form):
        data = form.cleaned_data
        return services.condition_update(
            finding=self.finding,
            status=data["status"],
            note=data["done_note"],
            done_on=data["done_on"],
            by=self.request.user,
        )

    def get_back(self):
        return self.alliance.get_absolute_url(), self.alliance.name

    def get_success_url(self):
        return self.alliance.get_absolute_url()


class AnswersExportView(AssessmentMixin, View):
    """Every assessor's answer to every question, as a spreadsheet (streamed)."""

    http_method_names = ["get"]

    def get(self, request, *args, fmt, **kwargs):
        responses = exports.export_responses(self.assessment, request.user)
        rows = exports.answer_rows(self.assessment, responses)
        name = download_name(self.alliance.slug, "assessment", self.assessment.pk, "answers")
        if fmt == "csv":
            return csv_response(name, exports.answer_header(), rows)
        sheet = Sheet(gettext("Answers"), exports.answer_header(), rows, exports.ANSWER_WIDTHS)
        return xlsx_response(name, [sheet])


class ResultsExportView(AssessmentMixin, View):
    """The results page as a spreadsheet: scores, dimensions, questions, gaps."""

    http_method_names = ["get"]

    def get(self, request, *args, fmt, **kwargs):
        name = download_name(self.alliance.slug, "assessment", self.assessment.pk, "results")
        if fmt == "csv":
            return csv_response(
                name, exports.results_csv_header(), exports.results_csv_rows(self.assessment)
            )
        return xlsx_response(name, exports.result_sheets(self.assessment))


class ReassessView(AssessmentMixin, ServiceFormMixin, FormView):
    """A new round after a submitted assessment, on the bank's latest published version;
    the page says what will happen before anything is created."""

    action = Action.RUN_ASSESSMENT
    form_class = ReassessForm
    template_name = "assessments/reassess.html"
    heading = gettext_lazy("Reassess")
    success_message = gettext_lazy(
        "New round started. Each assessor sees the previous round's answer beside each question."
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocker"] = services.reassess_blocker(self.assessment)
        context["next_version"] = services.latest_published_version(self.assessment.version.bank_id)
        context["assessors"] = [
            r.assessor
            for r in self.assessment.responses.select_related("assessor").order_by(
                "assessor__username"
            )
        ]
        return context

    def save(self, form):
        return services.assessment_reassess(
            assessment=self.assessment, by=self.request.user, title=form.cleaned_data["title"]
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_back(self):
        return self.assessment.get_absolute_url(), self.assessment.title

    def get_success_url(self):
        return self.object.get_absolute_url()


class ReassessmentIntervalsView(AllianceMixin, ServiceFormMixin, FormView):
    """How often the alliance is reassessed in each lifecycle stage."""

    action = Action.EDIT
    form_class = ReassessmentIntervalsForm
    template_name = "assessments/reassessment_intervals.html"
    heading = gettext_lazy("Reassessment intervals")
    success_message = gettext_lazy("Reassessment intervals saved.")

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "defaults": DEFAULT_MONTHS}
        kwargs["initial"] = dict(
            ReassessmentInterval.objects.filter(alliance=self.alliance).values_list(
                "stage", "months"
            )
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = round_selectors.reassessment_statuses([self.alliance])[self.alliance.pk]
        return context

    def save(self, form):
        return services.reassessment_intervals_set(
            alliance=self.alliance, months=form.cleaned_data, by=self.request.user
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_back(self):
        return reverse("assessments:list", args=[self.alliance.slug]), _("Assessments")

    def get_success_url(self):
        return reverse("assessments:intervals", args=[self.alliance.slug])
