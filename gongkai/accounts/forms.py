from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.choices import OFFICE_ROLES, Role
from gongkai.accounts.models import Agency, Office
from gongkai.accounts.services import AGENCY_CONTACT_FIELDS, RoleGrant, validate_role_set

username_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]{3,40}$", _("Use 3 to 40 letters, digits, dots, hyphens or underscores.")
)


class LoginForm(AuthenticationForm):
    """Django's form: the same message for an unknown account and a wrong password (AUTH-03)."""

    username = forms.CharField(
        label=_("Account"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, label=_("Roles"), required=False, **kwargs)


class StaffFormMixin:
    """Shared clean(): the role rules of services.validate_role_set, as form errors."""

    agency: Agency

    def clean(self):
        data = super().clean()
        roles = data.get("roles") or []
        office = data.get("office")
        grants = [RoleGrant(role=r, office=office if r in OFFICE_ROLES else None) for r in roles]
        try:
            data["grants"] = validate_role_set(self.agency, grants)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return data


class StaffEditForm(StaffFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    roles = RolesField()
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.none(),
        required=False,
        help_text=_("Needed for drafting clerks and office heads."),
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["office"].queryset = agency.offices.all()


class StaffCreateForm(StaffEditForm):
    username = forms.CharField(label=_("Account"), validators=[username_validator], max_length=40)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput(render_value=False), strip=False, max_length=128
    )
    field_order = ["username", "full_name", "email", "password", "roles", "office"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class AgencyContactForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = list(AGENCY_CONTACT_FIELDS)
        widgets = {"go_live_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
