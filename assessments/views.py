"""Assessment pages: start, assessors, fill in (htmx autosave or plain submit), submit,
reopen, findings, results and history. Access goes through alliances/access.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
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
from assessments.fill_views import AnswerSave, SectionPage, SubmitPage, messages_of
from assessments.forms import (
    AssessmentStartForm,
    AssessorsForm,
    ConditionForm,
    FindingForm,
    ReassessForm,
    ReassessmentIntervalsForm,
)
from assessments.marks import legend
from assessments.models import Answer, Assessment, Finding, ReassessmentInterval, Response
from assessments.partner import selectors as partner_selectors
from assessments.partner import services as partner_services
from assessments.rounds import DEFAULT_MONTHS
from banks import services as bank_services
from banks.models import BankVersion
from kit.people import display_name
from kit.spreadsheets import Sheet, csv_response, download_name, xlsx_response
from kit.urls import cached_reverse

HISTORY_PAGE_SIZE = 50


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
        self.respondent = self.response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response"] = self.response
        return context

    def fill_url(self, position=None):
        url = cached_reverse(
            "assessments:fill", self.alliance.slug, self.assessment.pk, self.response.pk
        )
        return f"{url}?d={position}" if position else url

    def answer_url(self, question_id: int) -> str:
        # One reversed URL for the whole section, the question's id put in its place.
        head, _zero, tail = cached_reverse(
            "assessments:answer", self.alliance.slug, self.assessment.pk, self.response.pk, 0
        ).rpartition("/0/")
        return f"{head}/{question_id}/{tail}"

    def files_url(self, answer) -> str:
        # One reversed URL for the whole section, the answer's id put in its place.
        head, _zero, tail = cached_reverse(
            "evidence:files", self.alliance.slug, "answer", 0
        ).rpartition("/0/")
        return f"{head}/{answer.pk}/{tail}"

    def respondent_answers(self) -> dict:
        return selectors.response_answers(self.response)

    def save_section(self, values: dict) -> None:
        services.answers_save(response=self.response, values=values, by=self.request.user)

    def save_answer(self, question, value, then):
        return services.answer_save(
            response=self.response,
            question=question,
            value=value,
            by=self.request.user,
            then=then,
        )

    def submit(self) -> None:
        services.response_submit(response=self.response, by=self.request.user)


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
            by=self.request.user,
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


class FillView(OwnResponseMixin, SectionPage, TemplateView):
    """One dimension at a time; a submitted response (or one on a retired bank version)
    is shown read-only."""

    template_name = "assessments/fill.html"

    def load_objects(self):
        super().load_objects()
        self.load_section()
        self.retired = self.assessment.version.status == BankVersion.Status.RETIRED
        self.locked = self.response.is_submitted or self.retired

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        previous_answers = round_selectors.previous_answers(self.assessment)
        context.update(
            self.section_context(forms, previous_answers),
            retired=self.retired,
            previous_answers=previous_answers,
        )
        return context

    def submit_url(self) -> str:
        return reverse(
            "assessments:submit", args=[self.alliance.slug, self.assessment.pk, self.response.pk]
        )


class AnswerView(OwnResponseMixin, AnswerSave, View):
    def load_objects(self):
        super().load_objects()
        self.load_question()


class SubmitView(OwnResponseMixin, SubmitPage, TemplateView):
    template_name = "assessments/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.missing_context(services.missing_required(self.response)))
        context.update(self.summary_context())
        context["copy_url"] = reverse(
            "assessments:response_copy",
            args=[self.alliance.slug, self.assessment.pk, self.response.pk],
        )
        return context

    def submitted(self):
        self.assessment.refresh_from_db(fields=["status"])
        if self.assessment.is_submitted:
            messages.success(
                self.request, _("Submitted. Every assessor has now submitted: see the results.")
            )
            return redirect("assessments:results", self.alliance.slug, self.assessment.pk)
        messages.success(self.request, _("Your answers are submitted and locked. Thank you."))
        return redirect(self.assessment)


class ResponseMixin(AssessmentMixin):
    """One response of this assessment, by the URL's `rid` (another's id is a 404)."""

    def load_objects(self):
        super().load_objects()
        self.response = get_object_or_404(
            Response.objects.select_related("assessor"),
            pk=self.kwargs["rid"],
            assessment=self.assessment,
        )
        self.response.assessment = self.assessment


class ReopenView(ResponseMixin, TemplateView):
    action = Action.RUN_ASSESSMENT
    template_name = "assessments/reopen.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "response": self.response}

    def post(self, request, *args, **kwargs):
        try:
            services.response_reopen(response=self.response, by=request.user)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
            return redirect(self.assessment)
        messages.success(
            request,
            _("The response of %(name)s is open for changes again.")
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
            marks=selectors.answer_marks_by_key(rows),
            mark_legend=legend(),
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
            messages.error(request, messages_of(exc))
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
