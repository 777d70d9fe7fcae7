"""A target's files page (list and upload), the download and the delete of one file.

Every view resolves the alliance through alliances/access.py first (a confidential
alliance is a 404 outside its team), then the target within it; uploading and deleting
also need the right that edits the target's evidence link (evidence/targets.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from alliances.views import AllianceMixin
from evidence import selectors, services
from evidence.forms import EvidenceFileForm
from evidence.models import EvidenceFile
from evidence.targets import kind_named, kind_of_model
from kit.forms import add_service_errors


class TargetMixin(AllianceMixin):
    """The target named by the URL's kind and id, within this alliance (else a 404)."""

    def load_objects(self):
        self.kind = kind_named(self.kwargs["kind"])
        self.target = self.kind.find(self.alliance, self.kwargs["pk"]) if self.kind else None
        if self.target is None:
            raise Http404(_("No such thing to attach files to."))

    def files_url(self) -> str:
        return reverse("evidence:files", args=[self.alliance.slug, self.kind.name, self.target.pk])

    def return_url(self) -> str:
        """Where the target's files are shown: its own page, or else its files page."""
        url = self.kind.back_url(self.target) if self.kind.page_shows_files else ""
        return (url or self.files_url()) + "#evidence-files"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            selectors.files_context(self.request.user, self.alliance, self.target),
            back_url=self.kind.back_url(self.target),
            description=self.kind.describe(self.target),
        )
        context.setdefault("form", EvidenceFileForm())
        return context


class EvidenceFilesView(TargetMixin, TemplateView):
    """GET: the target's files; POST: attach one (a refused file is a 400 saying why)."""

    template_name = "evidence/files.html"

    def post(self, request, *args, **kwargs):
        if not self.kind.may_change(request.user, self.target):
            raise PermissionDenied(_("You may not change the files of this."))
        if reason := self.kind.locked(self.target):
            messages.error(request, reason)
            return self.render_to_response(self.get_context_data(), status=400)
        form = EvidenceFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_file_attach(
                    alliance=self.alliance,
                    target=self.target,
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("File “%(name)s” attached.") % {"name": form.cleaned_data["file"].name},
                )
                return HttpResponseRedirect(self.return_url())
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)


class FileMixin(TargetMixin):
    """One file of this alliance, not deleted, and the target it is attached to."""

    def load_objects(self):
        self.evidence_file = (
            EvidenceFile.objects.select_related("target_type")
            .filter(pk=self.kwargs["pk"], alliance=self.alliance, deleted_at=None)
            .first()
        )
        if self.evidence_file is None:
            raise Http404(_("No such file."))
        self.kind = kind_of_model(self.evidence_file.target_type.model_class())
        f = self.evidence_file
        self.target = self.kind.find(self.alliance, f.target_id) if self.kind else None
        if self.target is None:
            raise Http404(_("What this file was attached to no longer exists."))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "evidence_file": self.evidence_file}


class EvidenceDownloadView(FileMixin, TemplateView):
    """The file's bytes, as an attachment of the type detected from them; never a file
    being scanned or refused by the scanner."""

    http_method_names = ["get"]
    template_name = "evidence/file_unavailable.html"

    def get(self, request, *args, **kwargs):
        f = self.evidence_file
        if f.state == EvidenceFile.State.REFUSED:
            return self.unavailable(
                _("The virus scanner refused this file: it was deleted and cannot be downloaded."),
                status=410,
            )
        if f.state == EvidenceFile.State.SCANNING:
            return self.unavailable(
                _("This file is still being scanned for viruses: try again in a moment."),
                status=404,
            )
        try:
            stored = default_storage.open(f.file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404(_("This file is missing from storage.")) from exc
        response = FileResponse(
            stored, as_attachment=True, filename=f.name, content_type=f.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def unavailable(self, reason, *, status):
        context = self.get_context_data(reason=reason)
        return self.render_to_response(context, status=status)


class EvidenceDeleteView(FileMixin, TemplateView):
    """Asks first; deleting keeps the file's row and history. Refused with a message
    while the target is locked (a submitted answer)."""

    template_name = "evidence/file_delete.html"

    def get(self, request, *args, **kwargs):
        services.ensure_may_change(target=self.target, by=request.user)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.evidence_file_delete(
                evidence_file=self.evidence_file, target=self.target, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return TemplateResponse(
                request, self.template_name, self.get_context_data(), status=400
            )
        messages.success(request, _("File “%(name)s” deleted.") % {"name": self.evidence_file.name})
        return HttpResponseRedirect(self.return_url())
