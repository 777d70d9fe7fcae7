from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView

from alliances.access import Action, can
from alliances.views import AllianceMixin, ServiceFormMixin
from kit.forms import add_service_errors
from kit.texts import in_sentence
from sponsors import health, selectors, services
from sponsors.access import (
    can_change_signal,
    is_sponsor_themself,
    person_rights,
    visible_sponsors,
)
from sponsors.forms import (
    PeerLinkForm,
    ProposalDecisionForm,
    SignalForm,
    SponsorChangeProposalForm,
    SponsorChoiceForm,
    SponsorForm,
    SponsorshipCreateForm,
    SponsorshipForm,
)
from sponsors.models import PeerLink, Signal, SponsorChangeProposal, Sponsorship

TIMELINE_PAGE_SIZE = 25


class BadRequestOnInvalidMixin:
    """A form that does not validate answers 400, with its messages on the page."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def sponsor_page_url(alliance) -> str:
    return reverse("sponsors:alliance", args=[alliance.slug])


class AllianceSponsorsContextMixin:
    """What the sponsor page and its htmx fragments share."""

    def sponsors_context(self, *, form=None, page_number=1):
        request, alliance = self.request, self.alliance
        overview = selectors.sponsor_overview(alliance, user=request.user)
        paginator = Paginator(selectors.signal_timeline(alliance), TIMELINE_PAGE_SIZE)
        page_obj = paginator.get_page(page_number)
        for signal in page_obj.object_list:
            signal.can_change = can_change_signal(request.user, signal, alliance)
        may_record = can(request.user, Action.RECORD_SIGNAL, alliance)
        if form is None and may_record and (overview.ours or overview.partner):
            form = SignalForm(alliance=alliance)
        return {
            "overview": overview,
            "page_obj": page_obj,
            "signals": page_obj.object_list,
            "signal_form": form,
            "health_thresholds": health.overall_threshold_note(),
        }


class AllianceSponsorsView(AllianceSponsorsContextMixin, AllianceMixin, TemplateView):
    """Both sides' sponsors, our sponsor's health, rapport, peer map and signals."""

    template_name = "sponsors/alliance_sponsors.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.sponsors_context(page_number=self.request.GET.get("page")))
        return context


class SignalCreateView(AllianceSponsorsContextMixin, AllianceMixin, TemplateView):
    """Quick entry: htmx posts here from the sponsor page and gets the form back,
    with the health panel and the timeline swapped out of band."""

    action = Action.RECORD_SIGNAL
    template_name = "sponsors/signal_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SignalForm(alliance=self.alliance))
        return context

    def post(self, request, *args, **kwargs):
        may_move_since = can(request.user, Action.MANAGE_SPONSORS, self.alliance)
        form = SignalForm(request.POST, alliance=self.alliance, may_move_since=may_move_since)
        if form.is_valid():
            form.instance.sponsorship.alliance = self.alliance
            moving = form.cleaned_data["move_since"] and form.instance.moves_since_back
            try:
                signal = services.signal_record(
                    signal=form.instance,
                    by=request.user,
                    move_since=form.cleaned_data["move_since"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                message = _("%(kind)s recorded for %(name)s.") % {
                    "kind": signal.get_kind_display(),
                    "name": signal.sponsorship.sponsor.name,
                }
                if moving:
                    message += " " + _("The sponsorship now starts on %(date)s.") % {
                        "date": date_format(signal.date, "SHORT_DATE_FORMAT")
                    }
                if request.htmx:
                    context = self.sponsors_context()
                    context.update(alliance=self.alliance, saved_message=message)
                    return TemplateResponse(request, "sponsors/_signal_saved.html", context)
                messages.success(request, message)
                return redirect(sponsor_page_url(self.alliance) + "#timeline")
        if request.htmx:
            context = {"alliance": self.alliance, "signal_form": form}
            return TemplateResponse(request, "sponsors/_signal_form.html", context, status=400)
        context = self.get_context_data(form=form)
        return self.render_to_response(context, status=400)


class SignalMixin(AllianceMixin):
    """A signal of this alliance (another alliance's id is a 404) that the user may change."""

    action = Action.RECORD_SIGNAL

    def load_objects(self):
        self.signal = get_object_or_404(
            Signal.objects.select_related("sponsorship__sponsor", "responds_to"),
            pk=self.kwargs["pk"],
            sponsorship__alliance=self.alliance,
        )
        self.signal.sponsorship.alliance = self.alliance
        if not can_change_signal(self.request.user, self.signal, self.alliance):
            raise PermissionDenied(_("Only the person who recorded this signal or a manager can."))

    def get_success_url(self):
        return sponsor_page_url(self.alliance) + "#timeline"


class SignalUpdateView(SignalMixin, BadRequestOnInvalidMixin, ServiceFormMixin, UpdateView):
    form_class = SignalForm
    template_name = "sponsors/signal_edit.html"
    heading = _("Edit signal")
    success_message = _("Signal updated.")

    def get_object(self, queryset=None):
        return self.signal

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "alliance": self.alliance}

    def save(self, form):
        return services.signal_update(signal=form.instance, by=self.request.user)

    def get_back(self):
        return self.get_success_url(), _("Sponsors of %(name)s") % {"name": self.alliance.name}


class SignalDeleteView(SignalMixin, TemplateView):
    template_name = "sponsors/confirm_delete.html"

    def get_context_data(self, **kwargs):
        signal = self.signal
        return {
            **super().get_context_data(**kwargs),
            "title": _("Delete this signal?"),
            "text": _(
                "%(kind)s of %(date)s for %(name)s will be deleted, and sponsor health "
                "recalculated without it."
            )
            % {
                "kind": signal.get_kind_display(),
                "date": date_format(signal.date, "SHORT_DATE_FORMAT"),
                "name": signal.sponsorship.sponsor.name,
            },
            "button": _("Delete signal"),
            "cancel_url": self.get_success_url(),
        }

    def post(self, request, *args, **kwargs):
        try:
            services.signal_delete(signal=self.signal, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Signal deleted."))
        return redirect(self.get_success_url())


class SponsorshipMixin(AllianceMixin):
    action = Action.MANAGE_SPONSORS

    def get_success_url(self):
        return sponsor_page_url(self.alliance)

    def get_back(self):
        return self.get_success_url(), _("Sponsors of %(name)s") % {"name": self.alliance.name}


class SponsorshipCreateView(
    SponsorshipMixin, BadRequestOnInvalidMixin, ServiceFormMixin, CreateView
):
    form_class = SponsorshipCreateForm
    heading = _("Add a sponsor")
    success_message = _("Sponsor added.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Sponsorship(alliance=self.alliance)
        kwargs["alliance"] = self.alliance
        return kwargs

    def get_initial(self):
        side = self.request.GET.get("side")
        known = side in Sponsorship.Side.values
        return {
            "role": Sponsorship.Role.EXECUTIVE_SPONSOR,
            "side": side if known else Sponsorship.Side.OURS,
        }

    def save(self, form):
        return services.sponsorship_create(
            sponsorship=form.instance,
            by=self.request.user,
            new_sponsor=form.new_sponsor,
            interests=form.cleaned_data.get("interests") or (),
        )


class SponsorshipObjectMixin(SponsorshipMixin):
    def load_objects(self):
        self.sponsorship = get_object_or_404(
            Sponsorship.objects.select_related("sponsor"),
            pk=self.kwargs["pk"],
            alliance=self.alliance,
        )
        self.sponsorship.alliance = self.alliance

    def get_object(self, queryset=None):
        return self.sponsorship


class SponsorshipUpdateView(
    SponsorshipObjectMixin, BadRequestOnInvalidMixin, ServiceFormMixin, UpdateView
):
    form_class = SponsorshipForm
    success_message = _("Sponsorship updated.")

    @property
    def heading(self):
        return _("%(sponsor)s on %(alliance)s") % {
            "sponsor": self.sponsorship.sponsor.name,
            "alliance": self.alliance.name,
        }

    def save(self, form):
        return services.sponsorship_update(sponsorship=form.instance, by=self.request.user)


class SponsorshipDeleteView(SponsorshipObjectMixin, TemplateView):
    template_name = "sponsors/confirm_delete.html"

    def get_context_data(self, **kwargs):
        sponsorship = self.sponsorship
        return {
            **super().get_context_data(**kwargs),
            "title": _("Remove %(name)s as a sponsor?") % {"name": sponsorship.sponsor.name},
            "text": _(
                "Their signals on this alliance are deleted with the sponsorship. To keep "
                "the record of a sponsor who stepped down, set an end date instead."
            ),
            "button": _("Remove sponsorship"),
            "cancel_url": self.get_success_url(),
        }

    def post(self, request, *args, **kwargs):
        services.sponsorship_delete(sponsorship=self.sponsorship, by=request.user)
        messages.success(
            request,
            _("%(name)s removed as a sponsor.") % {"name": self.sponsorship.sponsor.name},
        )
        return redirect(self.get_success_url())


class PeerLinkMixin(SponsorshipMixin):
    form_class = PeerLinkForm
    success_message = _("Peer map saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "alliance": self.alliance}

    def save(self, form):
        return services.peer_link_save(link=form.instance, by=self.request.user)

    def get_success_url(self):
        return sponsor_page_url(self.alliance) + "#peer-map"


class PeerLinkCreateView(PeerLinkMixin, BadRequestOnInvalidMixin, ServiceFormMixin, CreateView):
    heading = _("Map a counterpart")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": PeerLink(alliance=self.alliance)}


class PeerLinkObjectMixin(PeerLinkMixin):
    def load_objects(self):
        self.link = get_object_or_404(
            PeerLink.objects.select_related("ours", "theirs"),
            pk=self.kwargs["pk"],
            alliance=self.alliance,
        )
        self.link.alliance = self.alliance

    def get_object(self, queryset=None):
        return self.link


class PeerLinkUpdateView(
    PeerLinkObjectMixin, BadRequestOnInvalidMixin, ServiceFormMixin, UpdateView
):
    heading = _("Edit counterpart mapping")


class PeerLinkDeleteView(PeerLinkObjectMixin, TemplateView):
    template_name = "sponsors/confirm_delete.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("Remove this mapping?"),
            "text": _("%(ours)s will no longer be mapped as the counterpart of %(theirs)s.")
            % {"ours": self.link.ours.name, "theirs": self.link.theirs.name},
            "button": _("Remove mapping"),
            "cancel_url": self.get_success_url(),
        }

    def post(self, request, *args, **kwargs):
        services.peer_link_delete(link=self.link, by=request.user)
        messages.success(request, _("Mapping removed."))
        return redirect(self.get_success_url())


class SponsorMatchView(SponsorshipMixin, TemplateView):
    """Rank our people for an alliance without an executive sponsor on our side;
    choosing one creates the sponsorship."""

    template_name = "sponsors/sponsor_match.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = selectors.sponsor_overview(self.alliance, user=self.request.user)
        context["current"] = overview.our_executive_sponsor
        context["candidates"] = selectors.sponsor_candidates(
            self.alliance, viewer=self.request.user
        )
        return context

    def post(self, request, *args, **kwargs):
        form = SponsorChoiceForm(request.POST)
        error = None
        if not form.is_valid():
            error = " ".join(form.errors["sponsor"])
        else:
            sponsor = form.cleaned_data["sponsor"]
            try:
                services.sponsor_choose(alliance=self.alliance, sponsor=sponsor, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is now our executive sponsor of %(alliance)s. "
                        "Record their motives next."
                    )
                    % {"name": sponsor.name, "alliance": self.alliance.name},
                )
                return HttpResponseRedirect(self.get_success_url())
        context = self.get_context_data(error=error)
        return self.render_to_response(context, status=400)


class SponsorProfileView(DetailView):
    """A person: their alliances (those the reader may see), load and health."""

    template_name = "sponsors/sponsor_profile.html"
    context_object_name = "sponsor"

    def get_queryset(self):
        return (
            visible_sponsors(self.request.user)
            .select_related("organisation", "user")
            .prefetch_related("interests")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["profile"] = selectors.sponsor_profile(self.object, user=user)
        rights = person_rights(user, self.object)
        context["can_edit"], context["can_propose"] = rights.edit, rights.propose
        if rights.open_form:
            context["proposals"] = selectors.pending_proposals(self.object)
        return context


class SponsorUpdateView(BadRequestOnInvalidMixin, ServiceFormMixin, UpdateView):
    form_class = SponsorForm
    success_message = _("Saved.")

    def get_queryset(self):
        return visible_sponsors(self.request.user).select_related("organisation", "user")

    def get_object(self, queryset=None):
        sponsor = super().get_object(queryset)
        user = self.request.user
        rights = person_rights(user, sponsor)
        if not rights.open_form:
            raise PermissionDenied(
                _("Only this person and the managers of the alliances they sponsor can edit it.")
            )
        # The managers of only some of their alliances read the details here and propose.
        self.read_only = not rights.edit
        if self.read_only and self.request.method not in ("GET", "HEAD"):
            raise PermissionDenied(services.PERSON_EDITORS)
        return sponsor

    @property
    def heading(self):
        return _("Edit %(name)s") % {"name": self.object.name}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        # Superusers link anyone; a linked person may unlink themself.
        kwargs["can_link_account"] = user.is_superuser or is_sponsor_themself(user, self.object)
        if self.read_only:
            kwargs["propose_url"] = reverse("sponsors:sponsor_propose", args=[self.object.pk])
        return kwargs

    def save(self, form):
        return services.sponsor_update(
            sponsor=form.instance,
            by=self.request.user,
            interests=form.cleaned_data.get("interests") or [],
        )

    def get_back(self):
        return self.object.get_absolute_url(), self.object.name

    def get_success_url(self):
        return self.object.get_absolute_url()


class SponsorProposeView(BadRequestOnInvalidMixin, ServiceFormMixin, CreateView):
    """A manager of one of the person's alliances proposes new details; those who may
    change them decide. Whoever may change them directly is sent to the edit page."""

    form_class = SponsorChangeProposalForm
    success_message = _("Change proposed: the person and their alliances' managers are told.")

    def dispatch(self, request, *args, **kwargs):
        self.sponsor = get_object_or_404(
            visible_sponsors(request.user).select_related("organisation"), pk=kwargs["pk"]
        )
        rights = person_rights(request.user, self.sponsor)
        if rights.edit:
            return redirect("sponsors:sponsor_edit", self.sponsor.pk)
        if not rights.propose:
            raise PermissionDenied(
                _("Only a manager of one of this person's alliances proposes changes to them.")
            )
        return super().dispatch(request, *args, **kwargs)

    @property
    def heading(self):
        return _("Propose a change to %(name)s") % {"name": self.sponsor.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sponsor": self.sponsor}

    def save(self, form):
        return services.sponsor_change_propose(
            sponsor=self.sponsor, proposal=form.instance, by=self.request.user
        )

    def get_success_url(self):
        return self.sponsor.get_absolute_url()

    def get_back(self):
        return self.get_success_url(), self.sponsor.name


class ProposalDecideView(TemplateView):
    """Accept or decline a proposed change, after seeing what it changes (POST)."""

    template_name = "sponsors/proposal_decide.html"

    def dispatch(self, request, *args, **kwargs):
        self.proposal = get_object_or_404(
            SponsorChangeProposal.objects.select_related("sponsor", "proposed_by").filter(
                sponsor__in=visible_sponsors(request.user)
            ),
            pk=kwargs["pk"],
        )
        if not person_rights(request.user, self.proposal.sponsor).edit:
            raise PermissionDenied(services.PERSON_EDITORS)
        if not self.proposal.is_pending:
            messages.info(
                request,
                _("This proposal was already %(state)s.")
                % {"state": in_sentence(self.proposal.get_state_display())},
            )
            return redirect(self.proposal.sponsor.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proposal": self.proposal}

    def post(self, request, *args, **kwargs):
        form = ProposalDecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(error=" ".join(form.errors["decision"])), status=400
            )
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.sponsor_change_decide(proposal=self.proposal, accept=accept, by=request.user)
        except ValidationError as exc:
            return self.render_to_response(
                self.get_context_data(error=" ".join(exc.messages)), status=400
            )
        messages.success(
            request,
            _("Change accepted: the details are updated.") if accept else _("Change declined."),
        )
        return redirect(self.proposal.sponsor.get_absolute_url())


class MySponsorshipsView(TemplateView):
    """For an executive: each alliance they sponsor, its health and what is overdue."""

    template_name = "sponsors/my_sponsorships.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sponsor = selectors.sponsor_of(self.request.user)
        context["sponsor"] = sponsor
        if sponsor is not None:
            context["profile"] = selectors.sponsor_profile(sponsor, user=self.request.user)
        return context
