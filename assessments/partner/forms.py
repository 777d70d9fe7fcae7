from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.partner.services import InviteeData

CONTACT_ROWS = 3  # contacts per invitation page; invite more by coming back


class InviteForm(forms.Form):
    """Partner contacts by name and e-mail (blank rows are skipped), and the alliance's
    name as the partner will see it."""

    alliance_label = forms.CharField(
        label=_("Alliance name shown to the partner"),
        max_length=200,
        help_text=_("The partner sees this name on their page and in the e-mail."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, CONTACT_ROWS + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("Name of contact %(n)s") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"email_{n}"] = forms.EmailField(
                label=_("E-mail of contact %(n)s") % {"n": n}, max_length=254, required=False
            )

    @property
    def rows(self):
        return [(self[f"name_{n}"], self[f"email_{n}"]) for n in range(1, CONTACT_ROWS + 1)]

    def clean(self):
        cleaned = super().clean()
        invitees = []
        for n in range(1, CONTACT_ROWS + 1):
            name = (cleaned.get(f"name_{n}") or "").strip()
            email = (cleaned.get(f"email_{n}") or "").strip()
            if f"email_{n}" in self.errors:
                continue
            if name and not email:
                self.add_error(f"email_{n}", _("Give %(name)s's e-mail address.") % {"name": name})
            elif email and not name:
                self.add_error(f"name_{n}", _("Give the name of %(email)s.") % {"email": email})
            elif name and email:
                invitees.append(InviteeData(name=name, email=email))
        emails = [i.email.lower() for i in invitees]
        if len(set(emails)) != len(emails):
            raise ValidationError(_("The same e-mail address is listed twice."))
        if not invitees and not self.errors:
            raise ValidationError(_("Name at least one partner contact, with their e-mail."))
        cleaned["invitees"] = invitees
        return cleaned
