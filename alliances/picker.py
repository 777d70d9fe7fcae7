"""The people picker: a form field that chooses one person by name or e-mail.

With JavaScript, typing asks `alliances:people_search` (htmx) for suggestions and a
click fills in the chosen person's id. Without it, the typed text is matched on submit:
an exact username or e-mail, or a unique name match among the candidates; several
matches re-render the field with a plain select of them.
"""

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alliances.params import digits_value
from alliances.people import display_name, search_people


class PersonPickerWidget(forms.Widget):
    template_name = "partials/person_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.search_url = ""
        self.matches = []
        self.chosen = None

    def value_from_datadict(self, data, files, name):
        return (data.get(name, ""), data.get(f"{name}_id", ""))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_id" not in data

    def format_value(self, value):
        if isinstance(value, tuple):
            return value[0]
        return "" if value is None else str(value)

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template folders, which Django's default form renderer skips.
        context = self.get_context(name, value, attrs)
        return mark_safe(render_to_string(self.template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.chosen
        context["widget"].update(
            search_url=self.search_url,
            matches=[(p.pk, _label(p)) for p in self.matches],
            chosen_id=chosen.pk if chosen else "",
            text=display_name(chosen) if chosen else self.format_value(value),
        )
        return context


def _label(person) -> str:
    return f"{display_name(person)} ({person.email})" if person.email else display_name(person)


class PersonField(forms.Field):
    """One person among `candidates` (a queryset the form sets for its alliance)."""

    widget = PersonPickerWidget
    default_error_messages = {
        "nobody": _("No active user you may pick matches “%(text)s”."),
        "several": _("Several people match “%(text)s”: choose one in the list."),
        "pick": _("Choose someone from the list."),
        "long": _("Enter at most 254 characters."),
    }

    def __init__(self, *, candidates=None, purpose="member", **kwargs):
        super().__init__(**kwargs)
        self.candidates = candidates
        self.purpose = purpose

    def for_alliance(self, alliance, candidates) -> None:
        self.candidates = candidates
        self.widget.search_url = (
            reverse("alliances:people_search") + f"?alliance={alliance.slug}&for={self.purpose}"
        )

    def set_initial_person(self, person) -> None:
        self.widget.chosen = person

    def to_python(self, value):
        return value if isinstance(value, tuple) else (value or "", "")

    def validate(self, value):
        """Checked in clean(): the value is a (text, id) pair, never empty as a tuple."""

    def clean(self, value):
        text, chosen = self.to_python(value)
        text = (text or "").strip()
        if chosen:
            pk = digits_value(str(chosen).strip())
            person = self.candidates.filter(pk=pk).first() if pk is not None else None
            if person is None:
                raise forms.ValidationError(self.error_messages["pick"], code="pick")
            return person
        if not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if len(text) > 254:
            raise forms.ValidationError(self.error_messages["long"], code="long")
        exact = list(self.candidates.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2])
        if len(exact) == 1:
            return exact[0]
        matches = search_people(self.candidates, text)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                self.error_messages["nobody"], code="nobody", params={"text": text}
            )
        self.widget.matches = matches
        raise forms.ValidationError(
            self.error_messages["several"], code="several", params={"text": text}
        )
