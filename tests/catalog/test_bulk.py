"""Importing an existing catalog from XLSX/CSV and exporting to Excel (issue 3 "Bulk work")."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.accounts.choices import Role
from gongkai.catalog.bulk import COLUMNS
from gongkai.catalog.models import Entry, ImportJob

HEADERS = [header for _key, header in COLUMNS]


def row(**values):
    base = {
        "索引号": "11331003MB0000002F/2019-00001",
        "名称": "茅畲乡2019年宅基地审批结果公示",
        "文号": "",
        "成文日期": "2019-03-01",
        "发布日期": "2019-03-05",
        "生成日期": "2019-03-01",
        "主题分类": "宅基地使用审核",
        "公开方式": "主动公开",
        "不予主动公开依据": "",
        "不予主动公开理由": "",
        "公开范围": "面向社会",
        "有效性": "现行有效",
        "发布渠道": "政府网站、公开栏",
        "内容概述": "2019年第一批宅基地审批结果。",
        "正文": "经审核，同意下列农户建房申请。",
    }
    base.update(values)
    return [base[h] for h in HEADERS]


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def officer_client(client, world):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload, let the queued import job run (it starts on commit), then open the status page."""

    def run(client, name, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("catalog:staff-import", args=["maoshe"]), {"file": SimpleUploadedFile(name, data)}
            )
        if response.status_code == 302:
            return client.get(response["Location"])
        return response

    return run


def test_a_good_file_is_imported_with_its_index_numbers_and_is_searchable(officer_client, client, upload):
    rows = [
        row(),
        row(
            索引号="11331003MB0000002F/2019-00002",
            名称="2019年部门预算",
            主题分类="财政预决算",
            内容概述="部门预算。",
            正文="收支预算总表",
        ),
        row(
            索引号="",
            名称="某案件调查报告",
            公开方式="不予公开",
            不予主动公开依据="行政执法案卷信息（条例第十六条第二款）",
            不予主动公开理由="属于行政执法案卷。",
            发布日期="",
        ),
    ]
    response = upload(officer_client, "catalog.xlsx", xlsx(rows))
    page = response.content.decode()
    assert "已导入 3 条信息" in page
    assert 'value="100"' in page  # the progress bar is full
    published = Entry.objects.filter(status="published", imported=True)
    assert set(published.values_list("index_number", flat=True)) == {
        "11331003MB0000002F/2019-00001",
        "11331003MB0000002F/2019-00002",
    }
    assert Entry.objects.get(title="某案件调查报告").status == "registered"
    result = client.get(reverse("api:catalog_search"), {"q": "宅基地审批"}).json()
    assert [r["title"] for r in result["results"]] == ["茅畲乡2019年宅基地审批结果公示"]


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(officer_client, upload):
    rows = [
        row(),
        row(索引号="11331003MB0000002F/2019-00001"),  # repeats row 2
        row(索引号="X/2019-3", 名称="", 主题分类="不存在的分类"),
        row(索引号="X/2019-4", 发布日期="2019年13月40日"),
        row(索引号="X/2019-5", 公开方式="依申请公开"),  # no ground
    ]
    response = upload(officer_client, "catalog.xlsx", xlsx(rows))
    page = response.content.decode()
    assert Entry.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert [e["row"] for e in job.errors] == [3, 4, 5, 6]
    for text in ("与第 2 行重复", "“名称”为空", "不存在的分类", "“发布日期”不是形如", "须注明依据", "未导入任何信息"):
        assert text in page


def test_csv_in_gb18030_is_accepted(officer_client, upload):
    lines = [",".join(HEADERS), ",".join(str(v) for v in row())]
    response = upload(officer_client, "catalog.csv", "\n".join(lines).encode("gb18030"))
    assert "已导入 1 条信息" in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese(officer_client, upload):
    response = upload(officer_client, "catalog.xlsx", b"%PDF-1.4 not a workbook")
    assert "只接受以下文件类型：XLSX" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_export_writes_the_import_columns_as_text(officer_client, world):
    from tests.catalog.factories import make_entry

    make_entry(world.township, status="published", title='=HYPERLINK("http://evil")')
    response = officer_client.get(reverse("catalog:staff-export", args=["maoshe"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert header[: len(HEADERS)] == HEADERS
    title = sheet.cell(row=2, column=2).value
    assert title.startswith("'=")  # never a formula (WEB-04)


def test_attachment_text_is_extracted_from_a_real_pdf_without_control_characters():
    from datetime import date

    from gongkai.applications.documents import Letter, render_pdf
    from gongkai.catalog.extract import extract_text

    pdf = render_pdf(
        Letter(
            "茅畲乡人民政府", "茅政〔2026〕1号", "宅基地审批通知", "各村", ("宅基地审批材料清单。",), date(2026, 11, 2)
        )
    )
    text = extract_text("pdf", pdf)
    assert "宅基地审批" in text.replace("\n", "")
    assert not any(ord(c) < 32 and c not in "\n\t\r" for c in text)
