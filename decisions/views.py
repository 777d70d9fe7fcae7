from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.edit import FormView

from alliances.views import AllianceMixin, ServiceFormMixin
from decisions import exports, services
from decisions.forms import TrackedConditionForm
from decisions.models import TrackedCondition
from kit.spreadsheets import csv_response, download_name, xlsx_response


class FindingsExportView(AllianceMixin, View):
    """The alliance's findings and the decision's conditions to proceed."""

    http_method_names = ["get"]

    def get(self, request, *args, fmt, **kwargs):
        name = download_name(self.alliance.slug, "findings")
        if fmt == "csv":
            return csv_response(
                name, exports.findings_csv_header(), exports.findings_csv_rows(self.alliance)
            )
        return xlsx_response(name, exports.findings_sheets(self.alliance))


class TrackedConditionView(AllianceMixin, ServiceFormMixin, FormView):
    """The follow-up of one of the decision's conditions, with its history."""

    form_class = TrackedConditionForm
    template_name = "decisions/condition_form.html"
    heading = _("Follow up a condition")
    success_message = _("Condition updated.")

    def load_objects(self):
        super().load_objects()
        self.condition = get_object_or_404(
            TrackedCondition.objects.select_related("owner", "status_by"),
            pk=self.kwargs["pk"],
            alliance=self.alliance,
        )
        self.condition.alliance = self.alliance
        if self.condition.status == TrackedCondition.Status.CLOSED:
            return  # an old link (a reminder, My work): `_closed` says what became of it
        if not services.may_update_tracked(self.request.user, self.condition):
            raise PermissionDenied(_("Only the alliance's managers and the condition's owner may."))

    def get(self, request, *args, **kwargs):
        return self._closed() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._closed() or super().post(request, *args, **kwargs)

    def _closed(self):
        """Back to the alliance, saying why, for a condition the system closed."""
        if self.condition.status != TrackedCondition.Status.CLOSED:
            return None
        messages.info(
            self.request, _("This condition was closed: the decision no longer names its cause.")
        )
        return redirect(self.alliance.get_absolute_url())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "alliance": self.alliance}

    def get_initial(self):
        c = self.condition
        return {
            "owner": c.owner,
            "due_date": c.due_date,
            "status": c.status,
            "note": c.note,
            "evidence_url": c.evidence_url,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["condition"] = self.condition
        context["overdue"] = self.condition.is_overdue(timezone.localdate())
        context["history"] = self.condition.history.select_related("history_user", "owner")[:50]
        return context

    def save(self, form):
        return services.tracked_condition_update(
            condition=self.condition, by=self.request.user, **form.cleaned_data
        )

    def get_back(self):
        return self.alliance.get_absolute_url() + "#conditions-h", self.alliance.name

    def get_success_url(self):
        return self.alliance.get_absolute_url() + "#conditions-h"
