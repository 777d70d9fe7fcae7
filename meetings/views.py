"""Meeting pages: the list, plan, detail, edit, minutes with actions, an action marked
done, and delete. Access goes through alliances/access.py (a confidential alliance is a
404 outside its team); every write is one service call (meetings/services.py)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView
from django.views.generic.edit import FormView

from alliances.access import Action
from alliances.views import AllianceMixin, ServiceFormMixin
from kit.forms import add_service_errors
from meetings import services
from meetings.forms import ActionFormSet, MeetingForm, MinutesForm
from meetings.models import ActionItem
from meetings.selectors import (
    action_owners,
    alliance_meetings,
    meeting_detail,
    partner_people,
    proposed_agenda,
)

PAGE_SIZE = 25


class BadInputMixin:
    """A form sent back with errors answers 400: bad input, said on the form."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class MeetingMixin(AllianceMixin):
    """Resolves the meeting of the URL within the alliance: another's is a 404."""

    def load_objects(self):
        super().load_objects()
        self.meeting = meeting_detail(self.alliance, self.kwargs["pk"])
        if self.meeting is None:
            raise Http404(_("No such meeting."))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "meeting": self.meeting}


class MeetingListView(AllianceMixin, ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return alliance_meetings(self.alliance)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_manage"] = services.may_manage(self.request.user, self.alliance)
        return context


class MeetingFormMixin(BadInputMixin, ServiceFormMixin):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "team": action_owners(self.alliance),
            "partner_people": partner_people(self.alliance),
        }


class MeetingPlanView(AllianceMixin, MeetingFormMixin, FormView):
    action = Action.EDIT
    heading = _("Plan a meeting")
    success_message = _("Meeting planned.")

    def get_initial(self):
        if self.request.method != "GET":
            return {}  # a posted form keeps what was sent; no agenda to propose again
        return {
            "kind": "qbr",
            "duration": 60,
            "agenda": proposed_agenda(self.alliance),
            "attendees": [self.request.user.pk],
        }

    def save(self, form):
        return services.meeting_plan(
            alliance=self.alliance, by=self.request.user, **form.meeting_fields()
        )

    def get_back(self):
        return self.alliance.get_absolute_url(), self.alliance.name

    def get_success_url(self):
        return self.object.get_absolute_url()


class MeetingEditView(MeetingMixin, MeetingFormMixin, FormView):
    action = Action.EDIT
    heading = _("Edit the meeting")
    success_message = _("Meeting saved.")

    def get_initial(self):
        m = self.meeting
        minutes = (m.ends_at - m.starts_at) // timedelta(minutes=1)
        return {
            "kind": m.kind,
            "starts_at": m.starts_at,
            "duration": max(minutes, 5),
            "location": m.location,
            "agenda": m.agenda,
            "attendees": [u.pk for u in m.attendees.all()],
            "partner_attendees": [p.pk for p in m.partner_attendees.all()],
        }

    def save(self, form):
        return services.meeting_update(
            meeting=self.meeting, by=self.request.user, **form.meeting_fields()
        )

    def get_back(self):
        return self.meeting.get_absolute_url(), _("The meeting")

    def get_success_url(self):
        return self.meeting.get_absolute_url()


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        actions = list(self.meeting.actions.all())
        for action in actions:
            action.meeting = self.meeting
            action.overdue = action.is_overdue(today)
            action.may_mark_done = services.may_mark_done(self.request.user, action)
        context["meeting_actions"] = actions
        context["may_manage"] = services.may_manage(self.request.user, self.alliance)
        return context


class MinutesView(MeetingMixin, TemplateView):
    """The minutes, the decisions taken and the actions, in one form and one service call."""

    action = Action.EDIT
    template_name = "meetings/minutes_form.html"

    def get_forms(self, data=None):
        owners = action_owners(self.alliance)
        m = self.meeting
        minutes = MinutesForm(
            data,
            prefix="minutes",
            initial={"minutes": m.minutes, "decisions_taken": m.decisions_taken},
        )
        actions = ActionFormSet(
            data,
            prefix="actions",
            owners=owners,
            initial=[
                {
                    "id": str(a.pk),
                    "description": a.description,
                    "owner": a.owner_id,
                    "due_date": a.due_date,
                }
                for a in m.actions.all()
                if a.is_open
            ],
        )
        return minutes, actions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "minutes_form" not in kwargs:
            context["minutes_form"], context["action_forms"] = self.get_forms()
        context["done_actions"] = [a for a in self.meeting.actions.all() if not a.is_open]
        return context

    def post(self, request, *args, **kwargs):
        minutes_form, action_forms = self.get_forms(request.POST)
        if minutes_form.is_valid() and action_forms.is_valid():
            changes = [
                services.ActionChange(
                    pk=f.cleaned_data["id"],
                    description=f.cleaned_data["description"],
                    owner=f.cleaned_data["owner"],
                    due_date=f.cleaned_data["due_date"],
                    remove=f.cleaned_data["remove"],
                )
                for f in action_forms.forms
                if f.has_changed() and f.cleaned_data
            ]
            try:
                services.minutes_record(
                    meeting=self.meeting,
                    by=request.user,
                    minutes=minutes_form.cleaned_data["minutes"],
                    decisions_taken=minutes_form.cleaned_data["decisions_taken"],
                    actions=changes,
                )
            except ValidationError as exc:
                add_service_errors(minutes_form, exc)
            else:
                messages.success(request, _("Minutes recorded: the attendees get them by e-mail."))
                return HttpResponseRedirect(self.meeting.get_absolute_url())
        context = self.get_context_data(minutes_form=minutes_form, action_forms=action_forms)
        context["minutes_form"], context["action_forms"] = minutes_form, action_forms
        return self.render_to_response(context, status=400)


class ActionDoneView(AllianceMixin, TemplateView):
    """Asks, then marks an action done: its owner or one of the alliance's managers."""

    template_name = "meetings/action_done.html"

    def load_objects(self):
        super().load_objects()
        self.action_item = get_object_or_404(
            ActionItem.objects.select_related("meeting", "owner"),
            pk=self.kwargs["action"],
            meeting_id=self.kwargs["pk"],
            meeting__alliance=self.alliance,
        )
        self.action_item.meeting.alliance = self.alliance
        if self.action_item.is_open and not services.may_mark_done(
            self.request.user, self.action_item
        ):
            raise PermissionDenied(_("Only the action's owner and the alliance's managers may."))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_item": self.action_item}

    def post(self, request, *args, **kwargs):
        try:
            services.action_mark_done(action=self.action_item, by=request.user)
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Action marked done."))
        return HttpResponseRedirect(self.action_item.meeting.get_absolute_url())


class MeetingDeleteView(MeetingMixin, TemplateView):
    action = Action.EDIT
    template_name = "meetings/meeting_delete.html"

    def post(self, request, *args, **kwargs):
        services.meeting_delete(meeting=self.meeting, by=request.user)
        messages.success(request, _("Meeting deleted."))
        return HttpResponseRedirect(self.alliance.get_absolute_url())
