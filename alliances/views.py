from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView
from django.views.generic.edit import FormView

from alliances import kpi_csv, pages, services
from alliances.access import (
    Action,
    allowed_actions,
    can,
    can_edit_organisation,
    can_register_alliances,
    get_alliance,
    visible_alliances,
    visible_organisations,
)
from alliances.forms import (
    AllianceFilter,
    AllianceForm,
    InvitationAcceptForm,
    InvitationForm,
    KPIActualsUploadForm,
    KPIForm,
    MemberAddForm,
    MembershipRoleForm,
    OrganisationForm,
)
from alliances.kpi_chart import kpi_trend
from alliances.models import KPI, Membership, Organisation
from alliances.people import answering_people, colleagues_to_add, team_people
from kit.forms import add_service_errors
from kit.people import MIN_QUERY, display_name, search_people
from kit.picker import TEAM_PURPOSES
from kit.spreadsheets import csv_response, download_name
from kit.texts import in_sentence

PAGE_SIZE = 25


class AllianceMixin:
    """Resolves the alliance in the URL through access rules: 404 if hidden, 403 if not allowed."""

    action = Action.VIEW

    def dispatch(self, request, *args, **kwargs):
        self.alliance = get_alliance(request.user, kwargs["slug"], self.action)
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self):
        """Hook for views that also fetch objects belonging to the alliance."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alliance"] = self.alliance
        context["actions"] = allowed_actions(self.request.user, self.alliance)
        return context


class RegistrarRequiredMixin:
    """Registering alliances and partners is for alliance managers."""

    def dispatch(self, request, *args, **kwargs):
        if not can_register_alliances(request.user):
            raise PermissionDenied(_("Only alliance managers can register alliances and partners."))
        return super().dispatch(request, *args, **kwargs)


class ServiceFormMixin:
    """Runs the form's save through a service; a service error becomes a form error."""

    success_message = _("Saved.")
    template_name = "partials/form_page.html"
    heading = ""

    def get_back(self):
        """(url, label) of the page this form returns to."""
        return self.get_success_url(), _("Back")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = self.heading
        context["back_url"], context["back_label"] = self.get_back()
        return context

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class AllianceListView(ListView):
    template_name = "alliances/alliance_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "alliances"

    def get_queryset(self):
        base = visible_alliances(self.request.user).select_related("partner")
        self.filterset = AllianceFilter(self.request.GET, queryset=base)
        if not self.filterset.is_valid():
            return base.none()
        return self.filterset.qs.order_by("name")

    def render_to_response(self, context, **kwargs):
        if not self.filterset.is_valid():
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["can_register"] = can_register_alliances(self.request.user)
        context["alliances"] = list(context["alliances"])  # evaluated once, for contributors too
        context.update(pages.alliance_list_context(self.request, context["alliances"]))
        return context


class AllianceCreateView(RegistrarRequiredMixin, ServiceFormMixin, CreateView):
    form_class = AllianceForm
    heading = _("Register an alliance")
    success_message = _("Alliance registered. You are its manager: add your team next.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def save(self, form):
        return services.alliance_create(
            by=self.request.user, alliance=form.instance, new_partner=form.new_partner
        )

    def get_back(self):
        return reverse("alliances:list"), _("All alliances")

    def get_success_url(self):
        return self.object.get_absolute_url()


class AllianceDetailView(AllianceMixin, TemplateView):
    template_name = "alliances/alliance_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.alliance.memberships.select_related("user")
        context["kpis"] = self.alliance.kpis.all()
        context.update(pages.alliance_page_context(self.request, self.alliance, context))
        return context


class AllianceUpdateView(AllianceMixin, ServiceFormMixin, UpdateView):
    action = Action.EDIT
    form_class = AllianceForm
    heading = _("Edit alliance")
    success_message = _("Alliance updated.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_object(self, queryset=None):
        return self.alliance

    def save(self, form):
        return services.alliance_update(alliance=form.instance, by=self.request.user)

    def get_back(self):
        return self.alliance.get_absolute_url(), self.alliance.name

    def get_success_url(self):
        return self.object.get_absolute_url()


class AllianceArchiveView(AllianceMixin, TemplateView):
    action = Action.EDIT
    template_name = "alliances/alliance_archive.html"

    def post(self, request, *args, **kwargs):
        services.alliance_set_archived(alliance=self.alliance, archived=True, by=request.user)
        messages.success(
            request,
            _("“%(name)s” is archived. A manager can restore it.") % {"name": self.alliance.name},
        )
        return redirect("alliances:list")


class AllianceRestoreView(AllianceMixin, View):
    action = Action.RESTORE
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.alliance_set_archived(alliance=self.alliance, archived=False, by=request.user)
        messages.success(request, _("“%(name)s” is restored.") % {"name": self.alliance.name})
        return redirect(self.alliance)


class TeamView(AllianceMixin, FormView):
    template_name = "alliances/team.html"
    form_class = MemberAddForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "alliance": self.alliance}

    def post(self, request, *args, **kwargs):
        if not can(request.user, Action.MANAGE_TEAM, self.alliance):
            raise PermissionDenied(_("Only the alliance's managers can change its team."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.cleaned_data["who"]
        try:
            services.membership_add(
                alliance=self.alliance,
                member=user,
                role=form.cleaned_data["role"],
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error("who", exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s added to the team.") % {"name": display_name(user)}
        )
        return redirect("alliances:team", slug=self.alliance.slug)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.alliance.memberships.select_related("user")
        context["roles"] = Membership.Role.choices
        if "manage_team" in context["actions"]:
            context["invitations"] = services.invitations_pending(self.alliance)
        return context


class MembershipActionMixin(AllianceMixin):
    """A membership of this alliance only: a forged id from another alliance is a 404."""

    action = Action.MANAGE_TEAM

    def load_objects(self):
        self.membership = get_object_or_404(
            Membership.objects.select_related("user"), pk=self.kwargs["pk"], alliance=self.alliance
        )
        self.membership.alliance = self.alliance

    def run(self, service, **kwargs):
        try:
            service(membership=self.membership, by=self.request.user, **kwargs)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return False
        return True


class MembershipRoleView(MembershipActionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = MembershipRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the listed roles."))
            return redirect("alliances:team", slug=self.alliance.slug)
        role = form.cleaned_data["role"]
        if self.run(services.membership_change_role, role=role):
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {
                    "name": display_name(self.membership.user),
                    "role": in_sentence(Membership.Role(role).label),
                },
            )
        return redirect("alliances:team", slug=self.alliance.slug)


class MembershipRemoveView(MembershipActionMixin, TemplateView):
    template_name = "alliances/membership_remove.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context

    def post(self, request, *args, **kwargs):
        if self.run(services.membership_remove):
            messages.success(
                request,
                _("%(name)s removed from the team.") % {"name": display_name(self.membership.user)},
            )
        return redirect("alliances:team", slug=self.alliance.slug)


class KPIMixin(AllianceMixin):
    action = Action.EDIT
    form_class = KPIForm
    success_message = _("KPI saved.")

    def get_object(self, queryset=None):
        kpi = get_object_or_404(KPI, pk=self.kwargs["pk"], alliance=self.alliance)
        kpi.alliance = self.alliance
        return kpi

    def save(self, form):
        form.instance.alliance = self.alliance
        return services.kpi_save(kpi=form.instance, by=self.request.user)

    def get_success_url(self):
        return reverse("alliances:detail", args=[self.alliance.slug]) + "#kpis"

    def get_back(self):
        return self.get_success_url(), self.alliance.name


class KPICreateView(KPIMixin, ServiceFormMixin, CreateView):
    heading = _("Add a KPI")


class KPIUpdateView(KPIMixin, ServiceFormMixin, UpdateView):
    heading = _("Edit KPI")


class KPIDeleteView(KPIMixin, TemplateView):
    template_name = "alliances/kpi_delete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "kpi": self.get_object()}

    def post(self, request, *args, **kwargs):
        kpi = self.get_object()
        services.kpi_delete(kpi=kpi, by=request.user)
        messages.success(request, _("KPI “%(name)s” deleted.") % {"name": kpi.name})
        return redirect(self.get_success_url())


class KPIHistoryView(AllianceMixin, TemplateView):
    """A KPI's reported actuals, newest first, and their trend against the target."""

    template_name = "alliances/kpi_history.html"

    def load_objects(self):
        self.kpi = get_object_or_404(KPI, pk=self.kwargs["pk"], alliance=self.alliance)
        self.kpi.alliance = self.alliance

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actuals = list(self.kpi.actuals.select_related("created_by"))
        context["kpi"] = self.kpi
        context["actuals"] = actuals[::-1]
        context["chart"] = kpi_trend(
            name=self.kpi.name,
            target=self.kpi.target,
            actuals=[(a.on, a.value) for a in actuals],
            unit=self.kpi.unit,
        )
        return context


class KPIActualsUploadView(AllianceMixin, FormView):
    """A CSV file of actuals for the alliance's KPIs: all rows imported, or none."""

    action = Action.EDIT
    form_class = KPIActualsUploadForm
    template_name = "alliances/kpi_actuals_upload.html"

    def form_valid(self, form):
        try:
            count = services.kpi_actuals_import(
                alliance=self.alliance, text=form.cleaned_data["file"], by=self.request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext("%(count)d actual imported.", "%(count)d actuals imported.", count)
            % {"count": count},
        )
        return redirect(reverse("alliances:detail", args=[self.alliance.slug]) + "#kpis")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class KPIActualsTemplateView(AllianceMixin, View):
    """A CSV to fill in: the header and a row for each current KPI, dated today."""

    action = Action.EDIT
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        kpis = list(self.alliance.kpis.filter(is_current=True))
        names = [kpi.name.casefold() for kpi in kpis]
        today = timezone.localdate().isoformat()
        rows = [
            # A name two KPIs share is written as shown, with its period.
            (
                self.alliance.name,
                kpi.name if names.count(kpi.name.casefold()) == 1 else str(kpi),
                today,
                "",
            )
            for kpi in kpis
        ]
        return csv_response(download_name(self.alliance.slug, "kpi-actuals"), kpi_csv.COLUMNS, rows)


class PartnerListView(ListView):
    template_name = "alliances/partner_list.html"
    context_object_name = "organisations"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        # Count only alliances the user may know exist: confidential ones stay hidden.
        counted = Q(alliances__isnull=False)
        if not self.request.user.is_superuser:
            counted &= Q(alliances__is_confidential=False) | Q(
                alliances__memberships__user=self.request.user
            )
        organisations = visible_organisations(self.request.user).annotate(
            alliance_count=Count("alliances", filter=counted, distinct=True)
        )
        if self.query:
            organisations = organisations.filter(name__icontains=self.query)
        return organisations.order_by("-is_own", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["can_register"] = can_register_alliances(self.request.user)
        return context


class PartnerDetailView(DetailView):
    model = Organisation
    template_name = "alliances/partner_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        visible = visible_alliances(self.request.user).filter(is_archived=False)
        return visible_organisations(self.request.user).prefetch_related(
            Prefetch("alliances", queryset=visible, to_attr="visible_alliances")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_register"] = can_register_alliances(self.request.user)
        context["can_edit"] = can_edit_organisation(self.request.user, self.object)
        return context


class PartnerFormMixin(RegistrarRequiredMixin, ServiceFormMixin):
    model = Organisation
    form_class = OrganisationForm
    success_message = _("Organisation saved.")

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "user": user, "may_set_own": user.is_superuser}

    def save(self, form):
        return services.organisation_save(organisation=form.instance, by=self.request.user)

    def get_back(self):
        return reverse("alliances:partner_list"), _("Organisations")

    def get_success_url(self):
        return self.object.get_absolute_url()


class PartnerCreateView(PartnerFormMixin, CreateView):
    heading = _("Add an organisation")


class PartnerUpdateView(PartnerFormMixin, UpdateView):
    heading = _("Edit organisation")

    def get_queryset(self):
        return visible_organisations(self.request.user)

    def get_object(self, queryset=None):
        organisation = super().get_object(queryset)
        if not can_edit_organisation(self.request.user, organisation):
            raise PermissionDenied(
                _("Only the managers of an alliance with this organisation may edit it.")
            )
        return organisation


# Who each picker may search, and the right it needs on the alliance.
PICKER_PURPOSES = {
    "member": (Action.MANAGE_TEAM, colleagues_to_add),
    "owner": (Action.RUN_ASSESSMENT, team_people),
    "assessor": (Action.RUN_ASSESSMENT, answering_people),
}


class PeopleSearchView(View):
    """Suggestions for the people picker (htmx): only the people the form would accept,
    for a user who may use that form, after two characters; at most ten."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        purpose = request.GET.get("for", "")
        if purpose not in PICKER_PURPOSES:
            raise BadRequest(_("Unknown kind of people search."))
        action, candidates = PICKER_PURPOSES[purpose]
        alliance = get_alliance(request.user, request.GET.get("alliance", "")[:200], action)
        field = request.GET.get("name", "q")[:50]
        query = request.GET.get(field, "") or request.GET.get("q", "")
        people = search_people(candidates(alliance), query[:254])
        rows = [
            {"pk": p.pk, "name": display_name(p), "email": p.email, "label": display_name(p)}
            for p in people
        ]
        context = {"people": rows, "searched": len(query.strip()) >= MIN_QUERY}
        if purpose in TEAM_PURPOSES:
            # Who finds nobody learns why: people must be on the team first.
            context["purpose"] = purpose
            context["team_url"] = reverse("alliances:team", args=[alliance.slug])
        return TemplateResponse(request, "partials/person_picker_results.html", context)


class InvitationCreateView(AllianceMixin, FormView):
    action = Action.MANAGE_TEAM
    form_class = InvitationForm
    template_name = "alliances/invitation_form.html"

    def form_valid(self, form):
        try:
            invitation = services.invitation_send(
                alliance=self.alliance,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Invitation to %(email)s made: its e-mail is on its way (the link is valid "
                "for %(days)d days). Below, you see whether it was delivered."
            )
            % {"email": invitation.email, "days": services.INVITATION_DAYS},
        )
        return redirect("alliances:team", slug=self.alliance.slug)


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(FormView):
    """The invitee chooses a password; an unusable link gets a page that says why."""

    form_class = InvitationAcceptForm
    template_name = "alliances/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.invitation = services.invitation_by_token(kwargs["token"])
        except services.InvitationInvalid as exc:
            return self.invalid(exc)
        return super().dispatch(request, *args, **kwargs)

    def invalid(self, exc):
        return TemplateResponse(
            self.request,
            "alliances/invitation_invalid.html",
            {"message": exc.message},
            status=exc.status,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user, invitation = services.invitation_accept(
                token=self.kwargs["token"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except services.InvitationInvalid as exc:
            return self.invalid(exc)
        login(self.request, user, backend="accounts.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome, %(name)s: you are on the team of %(alliance)s.")
            % {"name": display_name(user), "alliance": invitation.alliance.name},
        )
        return redirect(invitation.alliance)
