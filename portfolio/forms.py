from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance


class PortfolioFilterForm(forms.Form):
    """Stage, type and origin, all optional; a value outside the choices is a 400."""

    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *Alliance.Stage.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *Alliance.Type.choices]
    )
    origin = forms.ChoiceField(
        label=_("Origin"),
        required=False,
        choices=[("", _("Any origin")), *Alliance.Origin.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
