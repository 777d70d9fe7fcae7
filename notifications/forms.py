from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import DEFAULT_DELIVERY, Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of notification: immediately, daily digest, or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, DEFAULT_DELIVERY[kind]),
                widget=forms.RadioSelect,
                help_text=_("Default: %(default)s")
                % {"default": Delivery(DEFAULT_DELIVERY[kind]).label},
            )
