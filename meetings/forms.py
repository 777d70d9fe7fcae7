"""The meeting forms: plan or edit a meeting, record its minutes with a formset of
actions. They check what one field can say; the services (meetings/services.py) check the
rest (attendees on the team, owners on the team, rights) in the same transaction."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from kit.params import IdChoiceField, IdMultipleChoiceField, digits_value
from kit.people import display_name
from meetings.models import ACTION_MAX_LENGTH, LOCATION_MAX_LENGTH, TEXT_MAX_LENGTH, Meeting

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
DURATION_MINUTES_MAX = 24 * 60


class PeopleField(IdMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return display_name(obj)


class PartnerPeopleField(IdMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.title}" if obj.title else obj.name


class OwnerField(IdChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class MeetingForm(CrispyFormMixin, forms.Form):
    submit_label = _("Save the meeting")
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    duration = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=5,
        max_value=DURATION_MINUTES_MAX,
        initial=60,
    )
    location = forms.CharField(
        label=_("Location or link"),
        required=False,
        max_length=LOCATION_MAX_LENGTH,
        help_text=_("A room, an address or a video-call link."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Proposed from what is open on the alliance: edit it as you need."),
    )
    attendees = PeopleField(label=_("Our attendees"), queryset=None, required=False)
    partner_attendees = PartnerPeopleField(
        label=_("The partner's attendees"),
        queryset=None,
        required=False,
        help_text=_("The partner's people recorded on the sponsors page."),
    )

    def __init__(self, *args, team, partner_people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = team
        self.fields["partner_attendees"].queryset = partner_people

    def clean(self):
        cleaned = super().clean()
        starts_at, duration = cleaned.get("starts_at"), cleaned.get("duration")
        if starts_at is not None and duration is not None:
            cleaned["ends_at"] = starts_at + timedelta(minutes=duration)
        return cleaned

    def meeting_fields(self) -> dict:
        """What the services take, from the cleaned data."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "kind",
                "starts_at",
                "ends_at",
                "location",
                "agenda",
                "attendees",
                "partner_attendees",
            )
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    decisions_taken = forms.CharField(
        label=_("Decisions taken"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. The executive brief lists them."),
    )


class ActionForm(forms.Form):
    """One action of the minutes: a new one (no id), a change, or a removal."""

    id = forms.CharField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=ACTION_MAX_LENGTH,
        widget=forms.TextInput,
    )
    owner = OwnerField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_id(self):
        raw = (self.cleaned_data.get("id") or "").strip()
        if not raw:
            return None
        pk = digits_value(raw)
        if pk is None:
            raise forms.ValidationError(_("This action cannot be found: reload the page."))
        return pk

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove"):
            return cleaned
        if not (cleaned.get("description") or "").strip() and "description" not in self.errors:
            self.add_error("description", _("Say what is to be done."))
        if cleaned.get("owner") is None and "owner" not in self.errors:
            self.add_error("owner", _("Choose who owns the action."))
        if cleaned.get("due_date") is None and "due_date" not in self.errors:
            self.add_error("due_date", _("Give the action a due date."))
        return cleaned


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, owners, **kwargs):
        self.owners = owners
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owners": self.owners}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            owners=self.owners,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


ActionFormSet = forms.formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=3, max_num=50, absolute_max=60, validate_max=True
)
