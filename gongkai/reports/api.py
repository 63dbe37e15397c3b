"""The annual report's JSON for staff (issue 11, "Interface"): the figures a version stands on,
its section 二 and texts, and every rule it breaks. Signed-in staff of the agency only: the
access policy (reports/access.py) checks the session and the roles before the view runs."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from gongkai.reports.views import report_json, report_of

router = Router(tags=["年度报告（工作人员）"])


@router.get(
    "/{agency_slug}/{year}",
    response=dict[str, Any],
    summary="本机关某年度政府信息公开工作年度报告的数据和校验结果（须登录）",
    description=(
        "键名见 docs/annual-report.md：section_3（按行和申请人类型）、section_4（按组和结果）、"
        "section_2、texts、version、status、frozen 和 rules。version 不填时为最新的未被取代版本。"
    ),
    operation_id="reports_annual",
)
def reports_annual(request: HttpRequest, agency_slug: str, year: int, version: int | None = None):
    if not 2008 <= year <= 2999 or (version is not None and version < 1):
        raise Http404
    return report_json(report_of(request, agency_slug, year, str(version) if version else None))
