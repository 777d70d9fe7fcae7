"""The partner contact's pages, reached through their invitation link only.

No account and no session: the token in the URL is the credential, looked up by its hash
on every request. These pages send `Referrer-Policy: no-referrer` (the link never leaks to
another site) and `Cache-Control: no-store`. An unknown link is a 404 and counts against
the client's address; a revoked or expired one is a 410 with a page that says so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from assessments.forms import AnswerForm
from assessments.partner import selectors, services
from assessments.selectors import dimension_questions, fill_dimensions
from assessments.views import FILL_GOES, request_position, saved_parts, section_after
from banks.sections import section_positions, section_question
from kit.params import parse_choice
from kit.secret_links import Throttle


def _private(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


def link_problem(request, *, title, text, status):
    response = TemplateResponse(
        request,
        "assessments/partner/link_problem.html",
        {"title": title, "text": text},
        status=status,
    )
    return _private(response.render())


# Guessed links are counted per address: over the limit, every link is refused a while.
LINK_THROTTLE = Throttle(
    "partner-link", "PARTNER_LINK_FAILURE_LIMIT", "PARTNER_LINK_FAILURE_WINDOW_SECONDS"
)


# No CSRF check on these pages: the token in the URL is the credential, so a forged
# request needs the link itself, and there is no session to ride on. (With
# `Referrer-Policy: no-referrer` browsers also send `Origin: null` on these forms.)
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class PartnerLinkMixin:
    """Resolves the invitation from the link's token; every page of it is private."""

    def dispatch(self, request, *args, **kwargs):
        if LINK_THROTTLE.is_over(request):
            return link_problem(
                request,
                title=_("Too many attempts"),
                text=_(
                    "Too many links were tried from your address. Wait a few minutes and "
                    "open the link from your e-mail again."
                ),
                status=429,
            )
        invitation = services.invitation_for_token(kwargs["token"])
        if invitation is None:
            LINK_THROTTLE.record_failure(request)
            return link_problem(
                request,
                title=_("This link is not valid"),
                text=_(
                    "Check that the whole link from your e-mail was opened, or ask the "
                    "alliance manager who invited you for a new one."
                ),
                status=404,
            )
        try:
            services.ensure_link_open(invitation)
        except services.LinkClosed as exc:
            return link_problem(
                request,
                title=_("This link no longer works"),
                text=_("%(reason)s Ask the alliance manager who invited you to send a new one.")
                % {"reason": exc.args[0]},
                status=410,
            )
        self.invitation = invitation
        self.assessment = invitation.assessment
        self.token = kwargs["token"]
        try:
            self.load_objects()
            response = super().dispatch(request, *args, **kwargs)
        except (Http404, BadRequest) as exc:
            # Bad input on a link's page says so on a page of the link (private, too).
            not_found = isinstance(exc, Http404)
            return link_problem(
                request,
                title=_("Not found") if not_found else _("Bad request"),
                text=str(exc) or _("This page does not exist."),
                status=404 if not_found else 400,
            )
        return _private(response)

    def load_objects(self):
        """Hook for pages that also fetch a question or a section."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            invitation=self.invitation,
            assessment=self.assessment,
            company=services.our_company_name(),
            token=self.token,
        )
        return context

    def fill_url(self, position=None):
        url = reverse("partner:fill", args=[self.token])
        return f"{url}?d={position}" if position else url


class PartnerFillView(PartnerLinkMixin, TemplateView):
    """One section at a time, autosaved by htmx; POST saves a section without JavaScript.
    After submitting, the same link shows a thank-you page."""

    template_name = "assessments/partner/fill.html"

    def load_objects(self):
        if self.invitation.is_submitted:
            return
        # Every parameter is read before the visit is recorded: bad input changes nothing.
        self.position = request_position(self.request)
        self.answers = selectors.partner_answers(self.invitation)
        self.dimensions = fill_dimensions(self.assessment.version, self.answers)
        if not self.dimensions:
            raise Http404(_("This questionnaire has no questions."))
        if not 1 <= self.position <= len(self.dimensions):
            raise Http404(_("No such section in this questionnaire."))
        self.dimension = self.dimensions[self.position - 1]
        services.invitation_opened(invitation=self.invitation)

    def get_template_names(self):
        if self.invitation.is_submitted:
            return ["assessments/partner/thanks.html"]
        return [self.template_name]

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.invitation.is_submitted:
            return context
        questions = dimension_questions(self.dimension, self.answers)
        errors = {}
        if forms:
            errors = {q.pk: forms[q.pk].errors for q in questions if q.pk in forms}
        context.update(
            dimensions=self.dimensions,
            dimension=self.dimension,
            position=self.position,
            questions=questions,
            errors=errors,
            answered=sum(d.answered_count for d in self.dimensions),
            total=sum(d.question_count for d in self.dimensions),
            previous_position=self.position - 1 if self.position > 1 else None,
            next_position=self.position + 1 if self.position < len(self.dimensions) else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.invitation.is_submitted:
            messages.info(request, _("Your answers are already submitted."))
            return HttpResponseRedirect(self.fill_url())
        go = parse_choice(request.POST.get("go"), name="go", choices=FILL_GOES, default="stay")
        questions = dimension_questions(self.dimension, self.answers)
        forms = {q.pk: AnswerForm(request.POST, question=q) for q in questions}
        if not all(form.is_valid() for form in forms.values()):
            messages.error(request, _("Some answers need a fix: nothing on this page was saved."))
            return self.render_to_response(self.get_context_data(forms=forms), status=400)
        try:
            services.partner_answers_save(
                invitation=self.invitation, values={q: forms[q.pk].value() for q in questions}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(), status=400)
        if go == "submit":
            return HttpResponseRedirect(reverse("partner:submit", args=[self.token]))
        target = section_after(go, self.position, len(self.dimensions))
        messages.success(
            request, _("Answers to “%(section)s” saved.") % {"section": self.dimension.name}
        )
        return HttpResponseRedirect(self.fill_url(target))


class PartnerAnswerView(PartnerLinkMixin, View):
    """htmx autosave of one answer of this invitation's questionnaire."""

    http_method_names = ["post"]

    def load_objects(self):
        self.question = section_question(self.assessment.version, self.kwargs["qid"])
        if self.question is None:
            raise Http404(_("No such question in this questionnaire."))
        self.position = request_position(self.request)

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST, question=self.question)
        # The partner's page has no evidence link: a refused one is simply not kept.
        if not (form.is_valid() or form.only_link_refused):
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            return self.status(errors=errors, status=400)
        value = form.value()
        with transaction.atomic(savepoint=False):
            try:
                answer = services.partner_answer_save(
                    invitation=self.invitation, question=self.question, value=value
                )
            except ValidationError as exc:
                return self.status(errors=exc.messages, status=400)
            return self.status(answer=answer, with_progress=True).render()

    def status(self, *, answer=None, errors=(), status=200, with_progress=False):
        context = {
            "question": self.question,
            "answer": answer,
            "errors": errors,
            "saved_parts": saved_parts(answer),
            "token": self.token,
        }
        if with_progress:
            dimensions = fill_dimensions(
                self.assessment.version, selectors.partner_answers(self.invitation)
            )
            context.update(
                dimensions=dimensions,
                answered=sum(d.answered_count for d in dimensions),
                total=sum(d.question_count for d in dimensions),
                position=self.position,
                oob=True,
            )
        return TemplateResponse(
            self.request, "assessments/partner/_answer_saved.html", context, status=status
        )


class PartnerSubmitView(PartnerLinkMixin, TemplateView):
    template_name = "assessments/partner/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.invitation.is_submitted:
            context["missing"] = []
            return context
        positions = section_positions(self.assessment.version)
        context["missing"] = [
            (q, f"{self.fill_url(positions[q.dimension_id])}#q-{q.pk}")
            for q in services.partner_missing_required(self.invitation)
        ]
        context["fill_url"] = self.fill_url()
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.partner_submit(invitation=self.invitation)
        except ValidationError as exc:
            if getattr(exc, "code", None) != "missing":
                messages.error(request, " ".join(exc.messages))
            return self.render_to_response(self.get_context_data(), status=400)
        return HttpResponseRedirect(self.fill_url())
