"""The read-only copy of one of our responses: every answer as given, on a page that
prints cleanly, and as a PDF. Who may read it is assessments/copies.py's rule (the
results page's): a submitted response, whoever may read the alliance; one in progress,
its assessor and those who run the assessment. The partner contact's copy is on their
link's pages (assessments/partner/views.py)."""

from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from assessments import copies, selectors
from assessments.views import ResponseMixin
from kit.people import display_name
from kit.spreadsheets import download_name
from kit.urls import cached_reverse


class ResponseCopyMixin(ResponseMixin):
    """A response of this assessment the user may read."""

    def load_objects(self):
        super().load_objects()
        copies.ensure_may_read_response(self.request.user, self.response)

    def copy_context(self) -> dict:
        sections = copies.copy_sections(self.response, selectors.response_answers(self.response))
        args = (self.alliance.slug, self.assessment.pk, self.response.pk)
        return {
            "alliance": self.alliance,
            "assessment": self.assessment,
            "response": self.response,
            "respondent_name": display_name(self.response.assessor),
            "sections": sections,
            "answered": sum(s.answered_count for s in sections),
            "total": sum(len(s.rows) for s in sections),
            "keeps_evidence": True,
            "is_mine": self.response.assessor_id == self.request.user.pk,
            "fill_url": cached_reverse("assessments:fill", *args),
            "pdf_url": cached_reverse("assessments:response_pdf", *args),
        }


class ResponseCopyView(ResponseCopyMixin, TemplateView):
    """Every answer of the response on one page; the browser's print drops the menus."""

    template_name = "assessments/response_copy.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.copy_context()}


class ResponsePdfView(ResponseCopyMixin, View):
    """The same copy as a PDF, rendered in the request (one response, a few pages)."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        filename = download_name(
            self.alliance.slug, "assessment", self.assessment.pk, "response", self.response.pk
        )
        name = display_name(self.response.assessor)
        state = copies.submitted_state(
            self.response.submitted_at if self.response.is_submitted else None,
            _("in progress, not submitted yet"),
        )
        context = {
            **self.copy_context(),
            "heading": self.alliance.name,
            "title": _("Answers of %(name)s") % {"name": name},
            "meta": f"{self.assessment.title} · {state}",
        }
        return copies.pdf_response(
            "assessments/response_copy_pdf.html", context, filename=f"{filename}.pdf"
        )
