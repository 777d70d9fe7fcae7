from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from assessments.models import PartnerShare
from assessments.partner.reminders import (
    format_reminder_days,
    parse_reminder_days,
)
from assessments.partner.services import InviteeData

MAX_CONTACTS = 50  # contacts per invitation page; invite more by coming back
CONTACTS_MAX_CHARS = MAX_CONTACTS * 500


def parse_contact_line(line: str) -> InviteeData:
    """ "Dana Whitfield <dana@helios.example>" -> InviteeData; raises ValidationError with
    a sentence about this line alone."""
    if "<" not in line or not line.endswith(">") or line.count("<") != 1:
        raise ValidationError(_("write it as “Name <e-mail>”."))
    name, email = line[:-1].split("<")
    name, email = name.strip().strip('"').strip(), email.strip()
    if not name:
        raise ValidationError(_("give the contact's name before the e-mail address."))
    if len(name) > 200:
        raise ValidationError(_("the name is longer than 200 characters."))
    if len(email) > 254:
        raise ValidationError(_("the e-mail address is too long."))
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(email)s” is not an e-mail address.") % {"email": email[:80]}
        ) from None
    return InviteeData(name=name, email=email)


class InviteForm(forms.Form):
    """Partner contacts pasted one a line as "Name <e-mail>" (blank lines are skipped;
    each wrong line is named by its number), and the alliance's name as the partner
    will see it."""

    alliance_label = forms.CharField(
        label=_("Alliance name shown to the partner"),
        max_length=200,
        help_text=_("The partner sees this name on their page and in the e-mail."),
    )
    contacts = forms.CharField(
        label=_("Partner contacts"),
        max_length=CONTACTS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One contact a line, as “Name <e-mail>”, e.g. “Dana Whitfield "
            "<dana@partner.example>”. Paste several at once."
        ),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_contacts(self):
        text = self.cleaned_data["contacts"]
        invitees, errors, seen = [], [], {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            try:
                invitee = parse_contact_line(line)
            except ValidationError as exc:
                errors.append(
                    _("Line %(n)s: %(problem)s") % {"n": number, "problem": exc.messages[0]}
                )
                continue
            key = invitee.email.lower()
            if key in seen:
                errors.append(
                    _("Line %(n)s: %(email)s is already on line %(first)s.")
                    % {"n": number, "email": invitee.email, "first": seen[key]}
                )
                continue
            seen[key] = number
            invitees.append(invitee)
        if not errors and len(invitees) > MAX_CONTACTS:
            errors.append(
                _("At most %(max)s contacts at once: invite the others next.")
                % {"max": MAX_CONTACTS}
            )
        if errors:
            raise ValidationError(errors)
        if not invitees:
            raise ValidationError(_("Name at least one partner contact, with their e-mail."))
        self.cleaned_data["invitees"] = invitees
        return text

    def clean(self):
        cleaned = super().clean()
        cleaned.setdefault("invitees", [])
        return cleaned


class PartnerSettingsForm(forms.Form):
    """When the partner's answers are due, when to remind them, and what their link
    shows once both sides have submitted."""

    partner_due_date = forms.DateField(
        label=_("Partner answers due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Without a due date, no automatic reminder is sent."),
    )
    partner_reminder_days = forms.CharField(
        label=_("Remind those who have not submitted, days before the due date"),
        required=False,
        max_length=50,
        help_text=_("Separated by commas, e.g. “3, 7”; empty for no automatic reminder."),
    )
    partner_share = forms.ChoiceField(
        label=_("What the partner sees after both sides have submitted"),
        choices=PartnerShare.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("Never our comments, evidence, findings, sponsors or decision."),
    )

    def clean_partner_reminder_days(self):
        return format_reminder_days(parse_reminder_days(self.cleaned_data["partner_reminder_days"]))
