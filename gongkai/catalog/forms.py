"""Forms of the catalog: the drafter's entry form, the reviewers' opinion forms, search, import."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import Agency, Office
from gongkai.catalog.choices import (
    TOWNSHIP_CATEGORIES,
    Attribute,
    Category,
    Channel,
    Classification,
    Ground,
    Relation,
    Validity,
)
from gongkai.catalog.content import clean_content
from gongkai.catalog.models import Entry, SubCategory
from gongkai.core.forms import choice_field, model_choice_field, validate_computable_date
from gongkai.core.uploads import check_upload

ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "jpg", "png")


def category_choices(agency: Agency) -> list[tuple[str, str | Promise]]:
    """Art. 20 and the A4 areas for every agency; art. 21 areas for townships and streets too."""
    township = agency.kind in ("township", "street")
    return [(c.value, c.label) for c in Category if township or c not in TOWNSHIP_CATEGORIES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EntryForm(forms.ModelForm):
    """What the drafting clerk writes (D1), with the attribute proposal and its reason."""

    channels = forms.MultipleChoiceField(
        label=_("publication channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    related_index_number = forms.CharField(
        label=_("related item (index number)"),
        required=False,
        max_length=80,
        help_text=_("For an interpretation, a correction or an amendment: the index number of the published item."),
    )
    attachment = forms.FileField(
        label=_("add an attachment"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG or PNG, at most %(mb)d MB. Save again to add another.")
        % {"mb": settings.CATALOG_ATTACHMENT_MAX_MB},
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "document_number",
            "is_official_document",
            "written_on",
            "issued_on",
            "formed_on",
            "category",
            "subcategory",
            "attribute",
            "ground",
            "ground_note",
            "scope",
            "validity",
            "summary",
            "body",
            "is_important",
            "relation",
            "co_offices",
        ]
        widgets = {
            "written_on": DateInput(),
            "issued_on": DateInput(),
            "formed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "ground_note": forms.Textarea(attrs={"rows": 2}),
            "co_offices": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "formed_on": _("Publication is due within 20 working days of this date (A6)."),
            "is_official_document": _("An official document is due within 1 working day of the day it was issued."),
            "issued_on": _(
                "The day the document was issued (印发), printed on its last page; needed for an official document."
            ),
            "ground_note": _("Required for anything not proactively disclosed (D1)."),
            "co_offices": _("Jointly produced: each co-producing office consents in writing (G6)."),
        }

    def __init__(self, *args, agency, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        choice_field(self, "category").choices = [("", "---------"), *category_choices(agency)]
        model_choice_field(self, "subcategory").queryset = SubCategory.objects.filter(agency=agency)
        model_choice_field(self, "co_offices").queryset = Office.objects.filter(agency=agency).exclude(pk=office.pk)
        choice_field(self, "ground").choices = [("", "---------"), *Ground.choices]
        choice_field(self, "relation").choices = [("", "---------"), *Relation.choices]
        self.fields["attribute"].initial = Attribute.PROACTIVE
        self.fields["validity"].initial = Validity.CURRENT
        for name in ("written_on", "issued_on", "formed_on"):  # publication deadlines are counted from them
            self.fields[name].validators.append(validate_computable_date)
        if self.instance.pk:
            self.fields["channels"].initial = self.instance.channels
            if self.instance.related_to_id:
                self.fields["related_index_number"].initial = self.instance.related_to.index_number
        else:
            self.fields["channels"].initial = [Channel.WEBSITE]

    def clean(self):
        """The service's checks, shown on their fields (the model constraint behind them would
        otherwise only say that a constraint failed)."""
        super().clean()
        data = self.cleaned_data
        values = {**data, "related_to": data.get("related_index_number")}
        try:
            clean_content(self.agency, values)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return data

    def clean_related_index_number(self):
        number = self.cleaned_data["related_index_number"].strip()
        if not number:
            return None
        related = Entry.objects.filter(index_number=number).select_related("agency").first()
        if related is None:
            raise ValidationError(_("No item has this index number."))
        return related

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return check_upload(
            upload, allowed=ATTACHMENT_KINDS, max_bytes=settings.CATALOG_ATTACHMENT_MAX_MB * 1024 * 1024
        )

    def content_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["related_to"] = data.pop("related_index_number")
        for name in ("attachment", "co_offices"):
            data.pop(name, None)
        return data


class OpinionForm(forms.Form):
    comment = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class OfficeOpinionForm(OpinionForm):
    classification = forms.ChoiceField(label=_("classification check (D2)"), choices=Classification.choices)


class ConfidentialityOpinionForm(OpinionForm):
    declassification_checked = forms.BooleanField(
        label=_("The expired secret was re-reviewed and may be released (G8)"), required=False
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class EscalateForm(forms.Form):
    authority = forms.CharField(label=_("competent authority"), max_length=100, initial=_("District secrecy bureau"))
    comment = forms.CharField(label=_("what is unclear"), widget=forms.Textarea(attrs={"rows": 2}))


class AuthorityAnswerForm(forms.Form):
    secret = forms.TypedChoiceField(
        label=_("the authority's answer"),
        choices=[("0", _("Not a state secret")), ("1", _("A state secret"))],
        coerce=lambda v: v == "1",
    )
    reference = forms.CharField(label=_("reference of the written answer"), max_length=100)
    comment = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("publish at (leave empty to publish now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for withdrawal (B8)"), widget=forms.Textarea(attrs={"rows": 2}))


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label=_("validity"), choices=Validity.choices)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(forms.Form):
    office = forms.ModelChoiceField(label=_("office"), queryset=Office.objects.none())
    comment = forms.CharField(label=_("written consent"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "office").queryset = offices


class SearchForm(forms.Form):
    """The public search and browse form; any bad value is ignored, never an error page."""

    q = forms.CharField(label=_("keywords"), required=False, max_length=1000)
    agency = forms.SlugField(label=_("agency"), required=False)
    category = forms.ChoiceField(
        label=_("subject category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=1990, max_value=2100)
    validity = forms.ChoiceField(label=_("validity"), required=False, choices=[("", _("All")), *Validity.choices])
    order = forms.ChoiceField(
        label=_("order"), required=False, choices=[("relevance", _("Relevance")), ("date", _("Newest first"))]
    )
    page = forms.IntegerField(required=False, min_value=1)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("spreadsheet (XLSX or CSV)"))


class SubCategoryForm(forms.ModelForm):
    class Meta:
        model = SubCategory
        fields = ["category", "name"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        choice_field(self, "category").choices = category_choices(agency)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if SubCategory.objects.filter(
            agency=self.agency, category=data.get("category"), name=data.get("name")
        ).exists():
            raise ValidationError(_("This sub-category already exists."))
        return data
