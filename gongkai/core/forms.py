from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.calendar import ArrangementError, parse_arrangement
from gongkai.core.workdays import FIRST_DAY, LAST_DAY, MAX_WORKING_DAYS

# ``form.fields`` holds plain ``Field``s for the type checker; these give a field set up in a
# form's ``__init__`` (its choices, its queryset) with its real class.


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[models.Model]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), name
    return field


def validate_computable_date(value: date) -> None:
    """A date a deadline can be computed from (WEB-05: 9999-12-31 was a 500)."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("The date is outside the range that can be calculated (%(first)s to %(last)s)."),
            code="date_range",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class WorkdayAddForm(forms.Form):
    start = forms.DateField(label=_("Start date"), widget=DateInput, validators=[validate_computable_date])
    working_days = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=MAX_WORKING_DAYS,
        initial=20,
        error_messages={"min_value": _("The number of working days cannot be negative.")},
    )


class WorkdayBetweenForm(forms.Form):
    start = forms.DateField(label=_("From (not counted)"), widget=DateInput, validators=[validate_computable_date])
    end = forms.DateField(label=_("To (counted)"), widget=DateInput, validators=[validate_computable_date])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("The end date is before the start date."))
        return data


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("Source notice"), max_length=200)
    published_on = forms.DateField(label=_("Notice published on"), required=False, widget=DateInput)
    holidays_text = forms.CharField(
        label=_("Holiday periods"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_('One period a line: name, first day, last day. Example: "国庆节 2027-10-01 2027-10-07".'),
        max_length=4000,
    )
    makeup_text = forms.CharField(
        label=_("Make-up workdays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The weekend days that are worked (调休上班), separated by spaces."),
        max_length=1000,
    )

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_year = fixed_year
        if fixed_year is not None:
            self.fields["year"].disabled = True
            self.fields["year"].initial = fixed_year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            data["arrangement"] = parse_arrangement(
                year=data["year"],
                source=data["source"],
                published_on=data.get("published_on"),
                holidays_text=data["holidays_text"],
                makeup_text=data.get("makeup_text", ""),
            )
        except ArrangementError as exc:
            raise ValidationError(exc.errors) from exc
        return data


class AuditFilterForm(forms.Form):
    event = forms.CharField(
        label=_("Event"), required=False, max_length=80, help_text=_("Code or its beginning, e.g. accounts.user")
    )
    actor = forms.CharField(label=_("Actor account"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("To"), required=False, widget=DateInput)
