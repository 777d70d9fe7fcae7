"""Executive brief pages: prepare, follow the render (htmx polling), download, retry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from alliances.access import Action
from alliances.views import AllianceMixin
from briefs import services
from briefs.models import Brief

PAGE_SIZE = 20


class BriefListView(AllianceMixin, ListView):
    template_name = "briefs/brief_list.html"
    context_object_name = "briefs"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return self.alliance.briefs.select_related("requested_by")


class BriefPrepareView(AllianceMixin, View):
    action = Action.PREPARE_BRIEF
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        brief, created = services.brief_request(alliance=self.alliance, by=request.user)
        # A new brief needs no message: its status panel follows the render and says
        # when it is ready (a flash saying "Preparing…" would outlive the render).
        if not created:
            messages.info(request, _("Nothing changed since this brief: here it is."))
        return redirect(brief)


class BriefMixin(AllianceMixin):
    """A brief of this alliance only: an id from another alliance is a 404."""

    def load_objects(self):
        self.brief = get_object_or_404(
            Brief.objects.select_related("requested_by"),
            pk=self.kwargs["pk"],
            alliance=self.alliance,
        )
        self.brief.alliance = self.alliance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["brief"] = self.brief
        context["stale"] = self.brief.is_stale
        return context


class BriefDetailView(BriefMixin, TemplateView):
    template_name = "briefs/brief_detail.html"

    def get(self, request, *args, **kwargs):
        services.brief_opened(brief=self.brief, by=request.user)
        return super().get(request, *args, **kwargs)


class BriefStatusView(BriefMixin, TemplateView):
    """The status panel alone, polled by htmx until the brief is ready or failed."""

    template_name = "briefs/_brief_status.html"


class BriefDownloadView(BriefMixin, View):
    def get(self, request, *args, **kwargs):
        if self.brief.status != Brief.Status.READY or not self.brief.pdf:
            raise Http404(_("This brief has no PDF yet."))
        try:
            pdf = default_storage.open(self.brief.pdf.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(_("The PDF of this brief is missing from storage.")) from exc
        services.brief_opened(brief=self.brief, by=request.user)
        return FileResponse(
            pdf,
            as_attachment=True,
            filename=self.brief.download_name,
            content_type="application/pdf",
        )


class BriefRetryView(BriefMixin, View):
    action = Action.PREPARE_BRIEF
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.brief_retry(brief=self.brief, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Trying again: the brief is back in the queue."))
        return redirect(self.brief)
