"""The partner contact's pages, reached through their invitation link only.

No account and no session: the token in the URL is the credential, looked up by its hash
on every request. These pages send `Referrer-Policy: no-referrer` (the link never leaks to
another site) and `Cache-Control: no-store`. An unknown link is a 404 and counts against
the client's address; a revoked or expired one is a 410 with a page that says so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from assessments import copies
from assessments.fill_views import AnswerSave, SectionPage, SubmitPage
from assessments.partner import selectors, services, sharing
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


# Guessed links are counted per address: over the limit, every wrong link is refused a
# while (a right one still opens).
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
        invitation = services.invitation_for_token(kwargs["token"])
        # A valid link is always served: the throttle counts wrong ones, so an address that
        # guessed (or shares a gateway with one that did) does not lock its contacts out.
        if invitation is None and LINK_THROTTLE.is_over(request):
            return link_problem(
                request,
                title=_("Too many attempts"),
                text=_(
                    "Too many links were tried from your address. Wait a few minutes and "
                    "open the link from your e-mail again."
                ),
                status=429,
            )
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
        self.invitation = self.respondent = invitation
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

    # What the fill pages ask of a respondent (assessments/fill_views.py).
    shows_knockouts = False  # a knock-out level is our own judgement, not the partner's

    def answer_url(self, question_id: int) -> str:
        return reverse("partner:answer", args=[self.token, question_id])

    def respondent_answers(self) -> dict:
        return selectors.partner_answers(self.invitation)

    def save_section(self, values: dict) -> None:
        services.partner_answers_save(invitation=self.invitation, values=values)

    def save_answer(self, question, value, then):
        return services.partner_answer_save(
            invitation=self.invitation, question=question, value=value, then=then
        )

    def submit(self) -> None:
        services.partner_submit(invitation=self.invitation, token=self.token)

    def copy_urls(self) -> dict:
        return {
            "copy_url": reverse("partner:copy", args=[self.token]),
            "pdf_url": reverse("partner:copy_pdf", args=[self.token]),
        }


class PartnerFillView(PartnerLinkMixin, SectionPage, TemplateView):
    """One section at a time, autosaved by htmx; POST saves a section without JavaScript.
    After submitting, the same link shows a thank-you page."""

    template_name = "assessments/partner/fill.html"

    def load_objects(self):
        if self.invitation.is_submitted:
            return
        self.load_section()
        services.invitation_opened(invitation=self.invitation)

    def get_template_names(self):
        if self.invitation.is_submitted:
            return ["assessments/partner/thanks.html"]
        return [self.template_name]

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.copy_urls())
        if not self.invitation.is_submitted:
            context.update(self.section_context(forms))
        else:
            # What the manager chose to share, once both sides submitted (or None).
            context["shared"] = sharing.shared_result(self.invitation)
            context["joint_pdf_url"] = reverse("partner:joint_pdf", args=[self.token])
        return context

    def post(self, request, *args, **kwargs):
        if self.invitation.is_submitted:
            messages.info(request, _("Your answers are already submitted."))
            return HttpResponseRedirect(self.fill_url())
        return super().post(request, *args, **kwargs)

    def submit_url(self) -> str:
        return reverse("partner:submit", args=[self.token])


class PartnerAnswerView(PartnerLinkMixin, AnswerSave, View):
    """htmx autosave of one answer of this invitation's questionnaire."""

    def load_objects(self):
        self.load_question()


class PartnerSubmitView(PartnerLinkMixin, SubmitPage, TemplateView):
    template_name = "assessments/partner/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.summary_context(), **self.copy_urls())
        if self.invitation.is_submitted:
            context["missing"] = []
            return context
        context.update(self.missing_context(services.partner_missing_required(self.invitation)))
        return context

    def submitted(self):
        return HttpResponseRedirect(self.fill_url())


class PartnerCopyMixin(PartnerLinkMixin):
    """The contact's own answers as given, read-only: only through their own link (the
    token names one invitation), before submitting (so far) and after (as submitted)."""

    def copy_context(self) -> dict:
        sections = copies.copy_sections(self.invitation, self.respondent_answers())
        return {
            "invitation": self.invitation,
            "company": services.our_company_name(),
            "sections": sections,
            "answered": sum(s.answered_count for s in sections),
            "total": sum(len(s.rows) for s in sections),
            "keeps_evidence": False,
            "fill_url": self.fill_url(),
            **self.copy_urls(),
        }


class PartnerCopyView(PartnerCopyMixin, TemplateView):
    """Every answer on one page, to read or print (the browser's print drops the menus)."""

    template_name = "assessments/partner/copy.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.copy_context()}


class PartnerCopyPdfView(PartnerCopyMixin, View):
    """The same copy as a PDF, rendered in the request."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        invitation = self.invitation
        state = copies.submitted_state(invitation.submitted_at, _("not submitted yet"))
        context = {
            **self.copy_context(),
            "heading": invitation.alliance_label,
            "title": _("Answers of %(name)s") % {"name": invitation.name},
            "meta": _("A questionnaire from %(company)s") % {"company": services.our_company_name()}
            + f" · {state}",
        }
        return copies.pdf_response(
            "assessments/response_copy_pdf.html", context, filename="answers.pdf"
        )


class PartnerJointPdfView(PartnerLinkMixin, View):
    """The joint view the manager shares, as a PDF to bring to the joint meeting: only
    through a contact's own link, once it shows on their page."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        shared = sharing.shared_result(self.invitation)
        if shared is None:
            raise Http404(_("Nothing is shared through this link yet."))
        company = services.our_company_name()
        context = {
            "heading": self.invitation.alliance_label,
            "company": company,
            "their_label": _("Your side"),
            "shared": shared,
        }
        return copies.pdf_response(
            "assessments/partner/joint_pdf.html", context, filename="joint-view.pdf"
        )
