"""The manager's side of a two-sided assessment: invite partner contacts (with a
confirmation step), resend, copy, remind or revoke their links, and choose the due date,
the reminders and what is shared with the partner. The partner's own pages are views.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.edit import FormView

from alliances.access import Action
from assessments import copies
from assessments.models import PartnerInvitation
from assessments.partner import services, sharing
from assessments.partner.forms import InviteForm, PartnerSettingsForm
from assessments.views import AssessmentMixin
from kit.forms import add_service_errors


class TwoSidedMixin(AssessmentMixin):
    action = Action.RUN_ASSESSMENT

    def load_objects(self):
        super().load_objects()
        if not services.is_two_sided(self.assessment):
            raise Http404("This assessment is not two-sided.")

    def partner_url(self):
        return self.assessment.get_absolute_url() + "#partner"


class PartnerInviteView(TwoSidedMixin, FormView):
    """First POST shows what will happen (a confirmation page); the confirmed POST invites."""

    form_class = InviteForm
    template_name = "assessments/partner/invite.html"

    def get_initial(self):
        return {"alliance_label": self.alliance.name}

    def form_valid(self, form):
        if not form.cleaned_data["confirmed"]:
            return self.render_to_response(
                self.get_context_data(
                    form=form, confirming=True, invitees=form.cleaned_data["invitees"]
                )
            )
        try:
            created = services.invitations_create(
                assessment=self.assessment,
                invitees=form.cleaned_data["invitees"],
                alliance_label=form.cleaned_data["alliance_label"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Invited %(names)s: an e-mail with their own link is on its way to each; the "
                "list below shows whether it was delivered."
            )
            % {"names": ", ".join(i.name for i in created)},
        )
        return redirect(self.partner_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = services.our_company_name()
        return context


class InvitationActionView(TwoSidedMixin, TemplateView):
    """GET asks; POST resends or revokes one invitation of this assessment."""

    template_name = "assessments/partner/invitation_action.html"
    verb = ""

    def load_objects(self):
        super().load_objects()
        self.invitation = get_object_or_404(
            PartnerInvitation, pk=self.kwargs["iid"], assessment=self.assessment
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(invitation=self.invitation, cancel_url=self.partner_url(), **self.texts())
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.partner_url())
        messages.success(request, self.texts()["done"])
        return redirect(self.partner_url())


class InvitationResendView(InvitationActionView):
    def texts(self):
        name = self.invitation.name
        return {
            "title": _("Resend the link to %(name)s?") % {"name": name},
            "text": _(
                "%(name)s receives a new link by e-mail, valid for another %(days)s days; the "
                "link sent before stops working. Answers given so far are kept."
            )
            % {"name": name, "days": settings.PARTNER_LINK_DAYS},
            "button": _("Resend link"),
            "danger": False,
            "done": _("A new link is on its way to %(name)s.") % {"name": name},
        }

    def act(self):
        services.invitation_resend(invitation=self.invitation, by=self.request.user)


class InvitationRevokeView(InvitationActionView):
    def texts(self):
        name = self.invitation.name
        return {
            "title": _("Revoke the link of %(name)s?") % {"name": name},
            "text": _(
                "The link stops working at once. Answers given so far are kept but count only "
                "if you resend the link and they submit."
            ),
            "button": _("Revoke link"),
            "danger": True,
            "done": _("The link of %(name)s is revoked.") % {"name": name},
        }

    def act(self):
        services.invitation_revoke(invitation=self.invitation, by=self.request.user)


class InvitationRemindView(InvitationActionView):
    def texts(self):
        name = self.invitation.name
        return {
            "title": _("Remind %(name)s now?") % {"name": name},
            "text": _(
                "%(name)s receives a reminder by e-mail with a new link, valid for another "
                "%(days)s days; the link sent or copied before stops working. Answers given "
                "so far are kept."
            )
            % {"name": name, "days": settings.PARTNER_LINK_DAYS},
            "button": _("Send reminder"),
            "danger": False,
            "done": _("A reminder is on its way to %(name)s.") % {"name": name},
        }

    def act(self):
        services.invitation_remind(invitation=self.invitation, by=self.request.user)


class InvitationLinkView(InvitationActionView):
    """GET asks; POST makes a new link and shows it once, to copy (never stored: only its
    hash is kept, so the link sent or copied before stops working)."""

    def texts(self):
        name = self.invitation.name
        return {
            "title": _("Copy a link for %(name)s?") % {"name": name},
            "text": _(
                "A new link for %(name)s is shown once, for you to copy and pass on; it works "
                "for %(days)s days. The link sent or copied before stops working. Answers "
                "given so far are kept."
            )
            % {"name": name, "days": settings.PARTNER_LINK_DAYS},
            "button": _("Show a new link"),
            "danger": False,
            "done": "",
        }

    def post(self, request, *args, **kwargs):
        try:
            invitation, url = services.invitation_new_link(
                invitation=self.invitation, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.partner_url())
        response = self.response_class(
            request=request,
            template="assessments/partner/copy_link.html",
            context=self.get_context_data(
                invitation=invitation,
                url=url,
                expires=date_format(invitation.expires_at, "j F Y"),
            ),
            using=self.template_engine,
        )
        response.render()
        # The link is a password: never kept by a cache or sent on as a referrer.
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


class PartnerSettingsView(TwoSidedMixin, FormView):
    """The due date, the reminder schedule and what the partner's link shows."""

    form_class = PartnerSettingsForm
    template_name = "assessments/partner/settings.html"

    def get_initial(self):
        return {
            "partner_due_date": self.assessment.partner_due_date,
            "partner_reminder_days": self.assessment.partner_reminder_days.replace(",", ", "),
            "partner_share": self.assessment.partner_share,
        }

    def form_valid(self, form):
        try:
            services.partner_settings_update(
                assessment=self.assessment,
                due_date=form.cleaned_data["partner_due_date"],
                reminder_days=form.cleaned_data["partner_reminder_days"],
                share=form.cleaned_data["partner_share"],
                by=self.request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The partner side's settings are saved."))
        return redirect(self.partner_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class JointViewPdfView(AssessmentMixin, View):
    """The joint view as the partner's contacts get it (what the manager shares), for
    whoever may read the results: the same scores, with the partner named."""

    http_method_names = ["get"]

    def load_objects(self):
        super().load_objects()
        if not services.is_two_sided(self.assessment):
            raise Http404("This assessment is not two-sided.")

    def get(self, request, *args, **kwargs):
        shared = sharing.assessment_shared_result(self.assessment)
        if shared is None:
            raise Http404(_("Nothing is shared with the partner yet."))
        context = {
            "heading": self.alliance.name,
            "company": services.our_company_name(),
            "their_label": self.alliance.partner.name,
            "shared": shared,
        }
        return copies.pdf_response(
            "assessments/partner/joint_pdf.html", context, filename="joint-view.pdf"
        )
