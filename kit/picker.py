"""The people picker: form fields that choose one person (`PersonField`) or several
(`PeopleField`) by name or e-mail.

With JavaScript, typing asks `alliances:people_search` (htmx) for suggestions and a
click fills in the chosen person's id (or, for several, adds them to the ticked list).
Without it, the typed text is matched on submit: an exact username or e-mail, or a
unique name match among the candidates; several matches re-render the field with a
plain select of them.

The owner and assessor pickers offer only the alliance's team: whoever finds nobody is
told so, with a link to the team page where people are added (a first-time user does
not guess it).
"""

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kit.params import IdMultipleChoiceField, digits_value
from kit.people import display_name, search_people

# The pickers whose candidates are the alliance's team (alliances/views.py PICKER_PURPOSES).
TEAM_PURPOSES = frozenset({"owner", "assessor"})


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
        self.team_url = ""

    def for_alliance(self, alliance, candidates) -> None:
        self.candidates = candidates
        set_search(self, alliance)

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
        return match_one(self, text)


def set_search(field, alliance) -> None:
    """Point `field`'s suggestions at `alliance`; a team picker also learns its team page."""
    field.widget.search_url = (
        reverse("alliances:people_search") + f"?alliance={alliance.slug}&for={field.purpose}"
    )
    if field.purpose in TEAM_PURPOSES:
        field.team_url = reverse("alliances:team", args=[alliance.slug])


def nobody_matches(field, text: str) -> forms.ValidationError:
    """Nobody among the candidates is `text`; for a team picker, where to add people."""
    if not getattr(field, "team_url", ""):
        return forms.ValidationError(
            field.error_messages["nobody"], code="nobody", params={"text": text}
        )
    if field.purpose == "assessor":
        why = _(
            "No active user you may pick matches “%(text)s”. Only managers and contributors "
            "on this alliance's team can be assessors: add people or change their role on "
            "the Team page."
        )
    else:
        why = _(
            "No active user you may pick matches “%(text)s”. Only members of this "
            "alliance's team can be picked: add people on the Team page."
        )
    return forms.ValidationError(
        format_html(
            '{} <a href="{}">{}</a>', why % {"text": text}, field.team_url, _("Open the Team page")
        ),
        code="nobody",
    )


def match_one(field, text: str):
    """The one candidate of `field` that `text` names; raises the field's message when
    nobody or several match (then offering the matches in a select)."""
    if len(text) > 254:
        raise forms.ValidationError(field.error_messages["long"], code="long")
    exact = list(field.candidates.filter(Q(username__iexact=text) | Q(email__iexact=text))[:2])
    if len(exact) == 1:
        return exact[0]
    matches = search_people(field.candidates, text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise nobody_matches(field, text)
    field.widget.matches = matches
    raise forms.ValidationError(
        field.error_messages["several"], code="several", params={"text": text}
    )


class PeoplePickerWidget(PersonPickerWidget):
    """The people already chosen as ticked boxes (untick to remove), and a search box
    that adds one more."""

    template_name = "partials/people_picker.html"

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        return (ids, data.get(f"{name}_text", ""), data.get(f"{name}_id", ""))

    def value_omitted_from_data(self, data, files, name):
        return not any(key in data for key in (name, f"{name}_text", f"{name}_id"))

    def format_value(self, value):
        return value[1] if isinstance(value, tuple) else ""

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"].update(
            search_url=self.search_url,
            matches=[(p.pk, _label(p)) for p in self.matches],
            chosen=[(p.pk, display_name(p)) for p in self.chosen or ()],
            text=self.format_value(value),
        )
        return context


class PeopleField(IdMultipleChoiceField):
    """Several people among `queryset` (set by the form for its alliance): the ticked
    ones, plus the one the search box names."""

    widget = PeoplePickerWidget
    default_error_messages = {
        **PersonField.default_error_messages,
        "required": _("Choose at least one person."),
    }

    def __init__(self, *, purpose, **kwargs):
        super().__init__(queryset=kwargs.pop("queryset", None), **kwargs)
        self.purpose = purpose
        self.team_url = ""

    @property
    def candidates(self):
        return self.queryset

    def for_alliance(self, alliance, candidates) -> None:
        self.queryset = candidates
        set_search(self, alliance)

    def prepare_value(self, value):
        return value if isinstance(value, tuple) else super().prepare_value(value)

    def set_initial_people(self, ids) -> None:
        """Who the boxes show ticked before any submission."""
        self.widget.chosen = list(self.queryset.filter(pk__in=list(ids)))

    def clean(self, value):
        ids, text, picked = value if isinstance(value, tuple) else (value or [], "", "")
        ids = [i for i in ids if str(i).strip()]
        chosen = list(super().clean(ids)) if ids else []
        # Re-render with what was ticked, even when the search text is refused below.
        self.widget.chosen = chosen
        if picked:
            ids = [*ids, picked]
            chosen = list(super().clean(ids))
        elif (text or "").strip():
            chosen.append(match_one(self, text.strip()))
        chosen = list(dict.fromkeys(chosen))
        if not chosen and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        self.widget.chosen = chosen
        return chosen
