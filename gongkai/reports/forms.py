"""The forms of the report pages; the rules (rules.py) judge the content, so a draft may be saved
incomplete and the page lists what still stops it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.reports.tables import SECTION_2_ITEMS

NUMBER = r"^\s*(\d+(\.\d{1,4})?)?\s*$"


class ReportForm(forms.Form):
    overview = forms.CharField(
        label="一、总体情况", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    other_matters = forms.CharField(
        label="六、其他需要报告的事项", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, first_year: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple] = []
        for item in SECTION_2_ITEMS:
            names = []
            for cell, label in item.cells:
                name = f"s2_{item.key}_{cell}"
                self.fields[name] = forms.RegexField(
                    regex=NUMBER,
                    label=f"{item.label} · {label}",
                    required=False,
                    max_length=20,
                    error_messages={
                        "invalid": _("Write a number of 0 or more (an amount in 万元 may have four decimals).")
                    },
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                )
                names.append(name)
            source = f"s2_{item.key}_source"
            self.fields[source] = forms.CharField(
                label=_("Source of “%(item)s”") % {"item": item.label}, required=False, max_length=200
            )
            first = None
            if first_year and item.is_stock:
                first = f"s2_{item.key}_first"
                self.fields[first] = forms.RegexField(
                    regex=r"^\s*\d*\s*$",
                    label=_("In force at the end of last year (%(item)s)") % {"item": item.label},
                    required=False,
                    max_length=10,
                    error_messages={"invalid": _("Write a whole number of 0 or more.")},
                )
            self.rows.append((item, [self[n] for n in names], self[source], self[first] if first else None))

    @staticmethod
    def initial_from(report) -> dict:
        initial = {"overview": report.overview, "problems": report.problems, "other_matters": report.other_matters}
        for item in SECTION_2_ITEMS:
            values = report.section_2.get(item.key) or {}
            for cell, _label in item.cells:
                initial[f"s2_{item.key}_{cell}"] = values.get(cell, "")
            initial[f"s2_{item.key}_source"] = values.get("source", "")
            initial[f"s2_{item.key}_first"] = (report.section_2.get("first_year") or {}).get(item.key, "")
        return initial

    def section_2(self) -> dict:
        data = self.cleaned_data
        result: dict = {}
        for item in SECTION_2_ITEMS:
            result[item.key] = {cell: data.get(f"s2_{item.key}_{cell}", "") for cell, _label in item.cells}
            result[item.key]["source"] = data.get(f"s2_{item.key}_source", "")
            if f"s2_{item.key}_first" in self.fields:
                result.setdefault("first_year", {})[item.key] = data.get(f"s2_{item.key}_first", "")
        return result


class ActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    refreeze = forms.BooleanField(
        label=_("Take the figures from the records as they are now (they changed after the freeze)"), required=False
    )


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2008, max_value=2999)
