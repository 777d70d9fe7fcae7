from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from kit.forms import active_user_named
from kit.params import IdChoiceField
from kit.texts import in_sentence
from sponsors.models import (
    NOTE_MAX_LENGTH,
    PeerLink,
    Signal,
    Sponsor,
    SponsorChangeProposal,
    Sponsorship,
)
from sponsors.selectors import open_asks

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SENSITIVE_WIDGETS = {
    "personal_agenda": forms.Textarea(attrs={"rows": 2}),
    "notes": forms.Textarea(attrs={"rows": 2}),
}


class InterestsField(forms.CharField):
    """Comma-separated interests in, a list out (normalised by the service)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1500)
        kwargs.setdefault(
            "help_text", _("Comma-separated, e.g. sailing, Porsche 911 GT3 track days, AI ethics.")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class AccountField(forms.CharField):
    """A username or email, resolved to an active user account."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("label", _("Their account here (username or email)"))
        kwargs.setdefault(
            "help_text",
            _("For our own people: lets them see “My sponsorships” and their own details."),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if not value:
            return None
        return active_user_named(value)


def _sponsor_label(sponsor: Sponsor) -> str:
    title = f", {sponsor.title}" if sponsor.title else ""
    return f"{sponsor.name}{title} ({sponsor.organisation})"


class SponsorshipCreateForm(CrispyFormMixin, forms.ModelForm):
    """Add a sponsorship: an existing person of the right organisation, or a new one."""

    name = forms.CharField(label=_("New person's name"), max_length=200, required=False)
    title = forms.CharField(
        max_length=200, required=False, help_text=_("e.g. Chief Digital Officer")
    )
    seniority = forms.ChoiceField(choices=[("", "—"), *Sponsor.Seniority.choices], required=False)
    business_unit = forms.CharField(max_length=200, required=False)
    interests = InterestsField()
    account = AccountField(
        help_text=_("Only your own, if you are the new person: an administrator links others.")
    )

    class Meta:
        model = Sponsorship
        fields = [
            "side",
            "role",
            "sponsor",
            "motive_corporate",
            "motive_departmental",
            "motive_personal",
            "personal_agenda",
            "notes",
            "since",
            "until",
        ]
        widgets = {"since": DATE, "until": DATE, **SENSITIVE_WIDGETS}
        labels = {"sponsor": _("Existing person")}
        field_classes = {"sponsor": IdChoiceField}

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance = alliance
        self.new_sponsor = None
        sponsor = self.fields["sponsor"]
        sponsor.required = False
        sponsor.queryset = Sponsor.objects.filter(
            Q(organisation__is_own=True) | Q(organisation=alliance.partner)
        ).select_related("organisation")
        sponsor.label_from_instance = _sponsor_label
        sponsor.empty_label = _("— a new person (fill in below) —")
        sponsor.help_text = format_html(_("One of our people, or someone at {}."), alliance.partner)
        self.helper.layout = Layout(
            Fieldset(_("Side and role"), "side", "role"),
            Fieldset(
                _("Who"),
                "sponsor",
                HTML(
                    format_html(
                        '<p class="small text-secondary mb-2">{}</p>', _("…or a new person:")
                    )
                ),
                "name",
                "title",
                "seniority",
                "business_unit",
                "interests",
                "account",
            ),
            Fieldset(
                _("Motives and agenda on this alliance"),
                "motive_corporate",
                "motive_departmental",
                "motive_personal",
                "personal_agenda",
                "notes",
            ),
            Fieldset(_("Period"), "since", "until"),
        )

    def clean(self):
        data = super().clean()
        existing, name = data.get("sponsor"), (data.get("name") or "").strip()
        if existing and name:
            raise forms.ValidationError(
                _("Choose an existing person or enter a new one, not both.")
            )
        if not existing and not name:
            self.add_error("sponsor", _("Choose a person, or enter a new person's name below."))
            return data
        if name:
            if not data.get("seniority"):
                self.add_error("seniority", _("Say how senior the new person is."))
            self.new_sponsor = Sponsor(
                name=" ".join(name.split()),
                title=data.get("title", ""),
                seniority=data.get("seniority", ""),
                business_unit=data.get("business_unit", ""),
                user=data.get("account"),
            )
        return data


class SponsorshipForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = Sponsorship
        fields = [
            "role",
            "motive_corporate",
            "motive_departmental",
            "motive_personal",
            "personal_agenda",
            "notes",
            "since",
            "until",
        ]
        widgets = {"since": DATE, "until": DATE, **SENSITIVE_WIDGETS}


class SponsorForm(CrispyFormMixin, forms.ModelForm):
    """A person's own details; what an alliance knows of their agenda is edited on
    that alliance's sponsorship."""

    interests = InterestsField()
    account = AccountField(help_text=_("Lets them see “My sponsorships” and their own details."))

    class Meta:
        model = Sponsor
        fields = ["name", "title", "seniority", "business_unit"]

    def __init__(self, *args, can_link_account: bool, propose_url: str | None = None, **kwargs):
        """`propose_url` set: the reader may not change these details, only propose a
        change there; every field is shown disabled and there is nothing to submit."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("interests", [t.name for t in self.instance.interests.all()])
            if self.instance.user:
                self.initial.setdefault("account", self.instance.user.get_username())
        if not can_link_account:
            del self.fields["account"]
        if propose_url is not None:
            for field in self.fields.values():
                field.disabled = True
            self.helper.inputs = []
            self.helper.form_tag = False
            self.helper.layout = Layout(
                HTML(
                    format_html(
                        '<div class="alert alert-info">{} <a href="{}">{}</a></div>',
                        _(
                            "These details show on every alliance this person sponsors: "
                            "only they, an administrator or a manager of all those alliances "
                            "can change them. You can change what your alliance records on "
                            "its sponsorship, and propose a change here."
                        ),
                        propose_url,
                        _("Propose a change"),
                    )
                ),
                *self.fields,
            )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        if "account" in data:
            self.instance.user = data["account"]
        return data


class SponsorChangeProposalForm(CrispyFormMixin, forms.ModelForm):
    """The person's details as the proposer would have them, starting from today's."""

    submit_label = _("Propose this change")
    interests = InterestsField()

    class Meta:
        model = SponsorChangeProposal
        fields = ["name", "title", "seniority", "business_unit", "note"]
        labels = {"note": _("Why (optional)")}

    def __init__(self, *args, sponsor: Sponsor, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("name", "title", "seniority", "business_unit"):
                self.initial[name] = getattr(sponsor, name)
            self.initial["interests"] = [t.name for t in sponsor.interests.all()]

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        data = super().clean()
        self.instance.interests = ", ".join(data.get("interests") or [])
        return data


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={"invalid_choice": _("Choose to accept or to decline.")},
    )


class SignalForm(CrispyFormMixin, forms.ModelForm):
    """Quick entry of one signal; the model says which combinations make sense."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTE_MAX_LENGTH
    )
    link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Optional: minutes, a post, an email thread."),
    )

    class Meta:
        model = Signal
        fields = [
            "sponsorship",
            "kind",
            "date",
            "responds_to",
            "meeting_with",
            "where",
            "note",
            "link",
        ]
        widgets = {"date": DATE}
        labels = {"sponsorship": _("Sponsor")}
        field_classes = {"sponsorship": IdChoiceField, "responds_to": IdChoiceField}
        help_texts = {"responds_to": _("Allocations answer a request, resolutions an escalation.")}

    move_since = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, alliance, may_move_since=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_move_since = may_move_since
        self.order_fields(["sponsorship", "kind", "date", "move_since"])  # the offer by its date
        current = self.instance if self.instance.pk else None
        sponsorships = alliance.sponsorships.select_related("sponsor")
        # Every sponsorship of the alliance validates (so an ended one gets the model's
        # clear message); only the active ones are offered.
        field = self.fields["sponsorship"]
        field.queryset = sponsorships
        offered = [
            s for s in sponsorships if s.is_active or (current and s.pk == current.sponsorship_id)
        ]
        field.widget.choices = [("", _("Choose a sponsor"))] + [
            (
                s.pk,
                f"{s.sponsor.name} — {in_sentence(s.get_role_display())} ({s.get_side_display()})",
            )
            for s in offered
        ]
        self.fields["kind"].choices = [("", _("Choose what happened")), *Signal.Kind.choices]
        self.fields["meeting_with"].choices = [("", "—"), *Signal.MeetingWith.choices]
        asks = self.fields["responds_to"]
        asks.queryset = Signal.objects.filter(
            sponsorship__alliance=alliance,
            kind__in=[Signal.Kind.RESOURCES_REQUESTED, Signal.Kind.ESCALATION_RAISED],
        )
        include = current.responds_to if current and current.responds_to_id else None
        asks.widget.choices = [("", _("Nothing (not an allocation or a resolution)"))] + [
            (
                ask.pk,
                f"{ask.get_kind_display()} {date_format(ask.date, 'SHORT_DATE_FORMAT')} — "
                f"{ask.sponsorship.sponsor.name}"
                + (f": {Truncator(ask.note).chars(40)}" if ask.note else ""),
            )
            for ask in open_asks(alliance, include=include)
        ]

    def clean(self):
        cleaned = super().clean()
        sponsorship, day = cleaned.get("sponsorship"), cleaned.get("date")
        if self.may_move_since and sponsorship and day and day < sponsorship.since:
            # Offer, next to the refusal, to move the start back instead of refusing.
            field = self.fields["move_since"]
            field.widget = forms.CheckboxInput()
            field.label = _("Move the sponsorship's start to %(date)s") % {
                "date": date_format(day, "SHORT_DATE_FORMAT")
            }
            field.help_text = _(
                "The sponsorship of %(name)s is recorded as starting on %(date)s."
            ) % {
                "name": sponsorship.sponsor.name,
                "date": date_format(sponsorship.since, "SHORT_DATE_FORMAT"),
            }
            self._bound_fields_cache.pop("move_since", None)  # bound before the label was known
            self.instance.moves_since_back = cleaned.get("move_since", False)
        return cleaned


class PeerLinkForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = PeerLink
        fields = ["ours", "theirs", "strength", "last_contact", "note"]
        widgets = {"last_contact": DATE}
        field_classes = {"ours": IdChoiceField, "theirs": IdChoiceField}
        help_texts = {
            "theirs": _(
                "Map by function, not title: a small partner's CEO may be the "
                "counterpart of one of our business-unit heads."
            )
        }

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        active = alliance.sponsorships.active()
        for field, side in (("ours", Sponsorship.Side.OURS), ("theirs", Sponsorship.Side.PARTNER)):
            self.fields[field].queryset = Sponsor.objects.filter(
                pk__in=active.filter(side=side).values("sponsor_id")
            ).select_related("organisation")
            self.fields[field].label_from_instance = _sponsor_label


class SponsorChoiceForm(forms.Form):
    sponsor = IdChoiceField(
        queryset=Sponsor.objects.filter(organisation__is_own=True),
        error_messages={"invalid_choice": _("Choose one of our people from the list.")},
    )
