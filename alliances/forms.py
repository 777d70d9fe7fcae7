import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliances.access import visible_organisations
from alliances.models import KPI, Alliance, Membership, Organisation
from kit.params import IdChoiceField
from kit.people import active_people, display_name
from kit.picker import PersonField

OBJECTIVES_MAX_LENGTH = 4000


class CrispyFormMixin:
    """A crispy helper with one submit button, so templates stay one-liners."""

    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))

    def add_error(self, field, error):
        # A model's clean() may object to a field this form does not show (e.g. a
        # sponsorship's sponsor, on the form that edits its role): Django would raise
        # ValueError (a 500); the message goes on top of the form instead.
        if field is None and hasattr(error, "error_dict"):
            placed = {}
            for name, errors in error.error_dict.items():
                key = name if name in self.fields else NON_FIELD_ERRORS
                placed.setdefault(key, []).extend(errors)
            error = forms.ValidationError(placed)
        super().add_error(field, error)


class UniqueNameMixin:
    """Case-insensitive unique names, reported on the field rather than as a 500."""

    duplicate_message = _("This name is already taken.")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = type(self.instance).objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(self.duplicate_message)
        return name


class AllianceForm(CrispyFormMixin, UniqueNameMixin, forms.ModelForm):
    duplicate_message = _("An alliance with this name already exists.")
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=OBJECTIVES_MAX_LENGTH,
        help_text=_("The corporate objectives this alliance serves, one per line."),
    )
    partner_fit = forms.CharField(
        label=_("Where the partner fits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=OBJECTIVES_MAX_LENGTH,
        help_text=_("Where the partner sits in our strategy, in two or three sentences."),
    )

    class Meta:
        model = Alliance
        fields = [
            "name",
            "partner",
            "type",
            "stage",
            "origin",
            "objectives",
            "partner_fit",
            "is_confidential",
        ]
        field_classes = {"partner": IdChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only partners the user may know exist (plus the current one), so a confidential
        # alliance's partner is not revealed by the list.
        partners = visible_organisations(user)
        if self.instance.partner_id:
            partners = partners | Organisation.objects.filter(pk=self.instance.partner_id)
        self.fields["partner"].queryset = partners.filter(is_own=False)
        self.fields["partner"].empty_label = _("Choose the partner organisation")


class OrganisationForm(CrispyFormMixin, UniqueNameMixin, forms.ModelForm):
    duplicate_message = _("An organisation with this name already exists.")
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "website", "industry", "country", "size_band", "is_own"]

    def __init__(self, *args, may_set_own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_set_own:
            del self.fields["is_own"]


class KPIForm(CrispyFormMixin, forms.ModelForm):
    class Meta:
        model = KPI
        fields = ["category", "name", "target", "actual", "unit", "period", "is_current"]


class MemberAddForm(forms.Form):
    who = PersonField(label=_("Name, username or email"), purpose="member")
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.CONTRIBUTOR)

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.alliance = alliance
        # Suggestions leave the team out; typed text may still name a member, to say so.
        self.fields["who"].for_alliance(alliance, active_people())

    def clean_who(self):
        user = self.cleaned_data["who"]
        if self.alliance.memberships.filter(user=user).exists():
            raise forms.ValidationError(
                _("%(name)s is already on the team.") % {"name": display_name(user)}
            )
        return user


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.CONTRIBUTOR
    )


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class AllianceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    stage = django_filters.ChoiceFilter(choices=Alliance.Stage.choices, empty_label=_("Any stage"))
    type = django_filters.ChoiceFilter(choices=Alliance.Type.choices, empty_label=_("Any type"))
    origin = django_filters.ChoiceFilter(
        choices=Alliance.Origin.choices, empty_label=_("Any origin")
    )
    archived = django_filters.BooleanFilter(
        field_name="is_archived",
        label=_("Archived"),
        widget=forms.Select(choices=[("", _("Active only")), ("true", _("Archived only"))]),
        method="filter_archived",
    )

    class Meta:
        model = Alliance
        fields = ["q", "stage", "type", "origin", "archived"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        self.form.fields["q"].widget.attrs["placeholder"] = _("Name, partner or objective")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(partner__name__icontains=value)
            | Q(objectives__icontains=value)
        )

    def filter_archived(self, queryset, name, value):
        return queryset.filter(is_archived=bool(value))

    def filter_queryset(self, queryset):
        # Archived alliances stay out of the list unless asked for.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(is_archived=False)
        return super().filter_queryset(queryset)
