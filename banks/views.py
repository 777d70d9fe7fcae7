"""The question bank pages for bank admins: the banks with their versions and the upload of
a bank file, a version's page (download, new draft, its questions), a draft question's
editor with the translations side by side, and the publish confirmation with what changes.

Only question bank admins (and superusers) open them: the same right the services check
(`banks.change_bankversion`); the two-factor step guards them as every page. Views are
thin: forms validate, `banks.services` writes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from banks import services
from banks.forms import BankUploadForm, QuestionForm, translation_languages
from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from banks.parse import BankFormatError
from kit.texts import in_sentence


def version_url(version, question=None) -> str:
    """A version's page, anchored at one of its questions when given."""
    url = reverse("banks:version", args=[version.pk])
    return f"{url}#q-{question.pk}" if question is not None else url


class BankAdminMixin:
    """Question bank admins only: everyone else signed in gets a 403 saying so."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("banks.change_bankversion"):
            raise PermissionDenied(_("Only question bank admins open the question bank pages."))
        return super().dispatch(request, *args, **kwargs)


class VersionMixin(BankAdminMixin):
    def version(self) -> BankVersion:
        return get_object_or_404(BankVersion.objects.select_related("bank"), pk=self.kwargs["pk"])


class BankListView(BankAdminMixin, TemplateView):
    """GET: every bank with its versions, and the upload form; POST: import a file (a
    refused file is a 400 listing the same line or row messages as `import_bank`)."""

    template_name = "banks/bank_list.html"

    def get_context_data(self, **kwargs):
        versions = BankVersion.objects.annotate(n_dimensions=Count("dimensions")).order_by(
            "-number"
        )
        banks = QuestionBank.objects.prefetch_related(Prefetch("versions", queryset=versions))
        kwargs.setdefault("form", BankUploadForm())
        return super().get_context_data(banks=banks, **kwargs)

    def post(self, request, *args, **kwargs):
        form = BankUploadForm(request.POST, request.FILES)
        problems: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = services.bank_import_upload(
                    name=upload.name, content=form.content(), by=request.user
                )
            except BankFormatError as exc:
                problems = exc.errors
            else:
                messages.success(
                    request,
                    _("Imported %(version)s (%(status)s).")
                    % {
                        "version": version.label,
                        "status": in_sentence(version.get_status_display()),
                    },
                )
                return HttpResponseRedirect(version_url(version))
        context = self.get_context_data(form=form, problems=problems)
        return self.render_to_response(context, status=400)


class VersionView(VersionMixin, TemplateView):
    """A version: its thresholds, dimensions and questions (each anchored `#q-<id>`), the
    downloads, and for a draft the edit links and Publish."""

    template_name = "banks/version_detail.html"

    def get_context_data(self, **kwargs):
        version = self.version()
        questions = Question.objects.order_by("order", "pk").prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("order", "pk"))
        )
        dimensions = list(
            Dimension.objects.filter(version=version)
            .prefetch_related(Prefetch("questions", queryset=questions))
            .order_by("order", "pk")
        )
        languages = translation_languages(version.bank)
        for dimension in dimensions:
            for question in dimension.questions.all():
                given = question.translations or {}
                question.translated = [
                    (code, name, (given.get(code) or {}).get("text", ""))
                    for code, name in languages
                ]
        return super().get_context_data(
            version=version,
            dimensions=dimensions,
            is_draft=version.status == BankVersion.Status.DRAFT,
            others=version.bank.versions.exclude(pk=version.pk).order_by("-number"),
            **kwargs,
        )


class VersionDownloadView(VersionMixin, View):
    """A version as YAML or as the Excel template, as `export_bank` writes them."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        fmt = self.kwargs["fmt"]
        if fmt not in services.DOWNLOAD_FORMATS:
            raise Http404(_("Bank files download as yaml or xlsx."))
        name, content_type, content = services.version_file(self.version(), fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


class VersionNewDraftView(VersionMixin, View):
    """POST only: copy the version into the bank's next draft and open it."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        draft = services.version_new_draft(version=self.version(), by=request.user)
        messages.success(
            request, _("Created %(version)s: edit it, then publish it.") % {"version": draft.label}
        )
        return HttpResponseRedirect(version_url(draft))


class VersionPublishView(VersionMixin, TemplateView):
    """GET: what publishing the draft changes against the published version (or why it
    cannot be published); POST: publish."""

    template_name = "banks/version_publish.html"

    def get_context_data(self, **kwargs):
        version = self.version()
        pending = services.version_changes_pending(version)
        current, diff = pending if pending else (None, None)
        return super().get_context_data(
            version=version,
            current=current,
            diff=diff,
            errors=services.version_publish_errors(version),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        version = self.version()
        if version.status != BankVersion.Status.DRAFT:
            return self._already(version)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        version = self.version()
        if version.status != BankVersion.Status.DRAFT:
            return self._already(version)
        try:
            published = services.version_publish(version=version, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("Published %(version)s.") % {"version": published.label})
        return HttpResponseRedirect(version_url(published))

    def _already(self, version):
        messages.info(
            request=self.request,
            message=_("%(version)s is already %(status)s.")
            % {"version": version.label, "status": in_sentence(version.get_status_display())},
        )
        return HttpResponseRedirect(version_url(version))


class QuestionEditView(BankAdminMixin, TemplateView):
    """A draft's question in a full-width form, the translations beside each wording;
    saving returns to the version's page at this question."""

    template_name = "banks/question_edit.html"

    def question(self) -> Question:
        question = get_object_or_404(
            Question.objects.select_related("dimension__version__bank"), pk=self.kwargs["pk"]
        )
        version = question.dimension.version
        if version.status != BankVersion.Status.DRAFT:
            raise PermissionDenied(
                _("%(version)s is locked: make a new draft from it to change the bank.")
                % {"version": version.label}
            )
        return question

    def get_context_data(self, **kwargs):
        question = kwargs.get("form").instance if "form" in kwargs else self.question()
        kwargs.setdefault("form", QuestionForm(instance=question))
        version = question.dimension.version
        return super().get_context_data(
            question=question, version=version, back_url=version_url(version, question), **kwargs
        )

    def post(self, request, *args, **kwargs):
        question = self.question()
        form = QuestionForm(request.POST, instance=question)
        if form.is_valid():
            try:
                services.question_update(
                    question=form.instance,
                    translations=form.translations(),
                    labels=form.labels(),
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved question %(key)s.") % {"key": question.key})
                return HttpResponseRedirect(version_url(question.dimension.version, question))
        return self.render_to_response(self.get_context_data(form=form), status=400)
