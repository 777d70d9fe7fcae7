"""The follow-up of a tracked condition: owner (a team member), due date, status, note and
an evidence link. The service (decisions/services.py) checks the moves and the rights."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from alliances.people import team_people
from decisions.models import TrackedCondition
from kit.picker import PersonField

Status = TrackedCondition.Status


class TrackedConditionForm(CrispyFormMixin, forms.Form):
    submit_label = _("Save")
    owner = PersonField(label=_("Owner"), purpose="owner", required=False)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in Status if s != Status.CLOSED],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the condition is met (what was done) or waived (why)."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.for_alliance(alliance, team_people(alliance))
        owner.set_initial_person(self.initial.get("owner"))
