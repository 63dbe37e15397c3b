"""Importing an existing catalog from XLSX/CSV and exporting to Excel (issue 3 "Bulk work").

Issue 8 (seed B1 "nothing bypasses review"; security.md AC-03, PUB-01): an import never makes
anything public by itself. Rows published after the agency's go-live date become drafts of the
review chain; older (legacy) rows are published only when the agency's leader in charge, who is
not the uploader, approves the whole batch; every row passes the personal-data scan; index
numbers carry the agency's own prefix."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.accounts.choices import Role
from gongkai.accounts.models import Agency
from gongkai.catalog import bulk, services
from gongkai.catalog.bulk import COLUMNS
from gongkai.catalog.models import Entry, ImportJob
from gongkai.catalog.services import ReviewError
from gongkai.core.models import AuditEvent

HEADERS = [header for _key, header in COLUMNS]
GO_LIVE = date(2025, 1, 1)
CANARY_ID = "110101199003074573"
CANARY_PHONE = "13800138000"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def row(**values):
    base = {
        "索引号": "11331003MB0000002F/2019-00001",
        "名称": "茅畲乡2019年宅基地审批结果公示",
        "文号": "",
        "成文日期": "2019-03-01",
        "印发日期": "",
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
        "主办科室": "",
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
def officer(world):
    return world.person(world.township, Role.DISCLOSURE_OFFICER)


@pytest.fixture
def leader(world):
    return world.person(world.township, Role.LEADER_IN_CHARGE)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def go_live(world):
    """茅畲乡 went live on GO_LIVE: rows published on or before it are legacy."""
    Agency.objects.filter(pk=world.township.pk).update(go_live_on=GO_LIVE)


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


def public_surfaces(client, index_number: str, query: str) -> tuple[int, int, int, int]:
    """What an anonymous visitor gets: the item page, the API item, search hits, catalog page."""
    client.logout()
    page = client.get(reverse("catalog:item", kwargs={"index_number": index_number})).status_code
    api = client.get(reverse("api:catalog_item", kwargs={"index_number": index_number})).status_code
    hits = client.get(reverse("api:catalog_search"), {"q": query}).json()["count"]
    listed = client.get(reverse("catalog:index"), {"q": query}).content.decode().count(index_number)
    return page, api, hits, listed


def legacy_rows():
    return [
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


def test_legacy_rows_are_public_only_after_the_leader_approves_the_batch(
    officer_client, client, upload, go_live, leader
):
    # given: a file of items published before go-live, uploaded by the disclosure officer
    response = upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    page = response.content.decode()
    job = ImportJob.objects.get()
    assert job.state == "awaiting_approval"
    assert "等待分管领导审批" in page
    assert "茅畲乡2019年宅基地审批结果公示" in page  # the preview of the held rows
    # then: nothing exists or is public yet: item page, API, search, catalog
    assert Entry.objects.count() == 0
    assert public_surfaces(client, "11331003MB0000002F/2019-00001", "宅基地审批") == (404, 404, 0, 0)

    # when: the leader in charge looks at the batch and approves it as previewed
    client.force_login(leader)
    review = client.get(reverse("catalog:staff-import-review", args=["maoshe", job.pk])).content.decode()
    assert "茅畲乡2019年宅基地审批结果公示" in review
    assert "2019-03-05" in review
    response = client.post(
        reverse("catalog:staff-import-approve", args=["maoshe", job.pk]),
        {"comment": "同意发布。", "sha256": job.rows_sha256},
    )
    assert response.status_code == 302

    # then: the rows are published with their index numbers and dates, and found by search
    job.refresh_from_db()
    assert (job.state, job.imported, job.decided_by) == ("done", 3, leader)
    published = Entry.objects.filter(status="published", imported=True)
    assert set(published.values_list("index_number", flat=True)) == {
        "11331003MB0000002F/2019-00001",
        "11331003MB0000002F/2019-00002",
    }
    assert published.get(index_number="11331003MB0000002F/2019-00001").published_on == date(2019, 3, 5)
    assert Entry.objects.get(title="某案件调查报告").status == "registered"
    assert public_surfaces(client, "11331003MB0000002F/2019-00001", "宅基地审批")[:3] == (200, 200, 1)
    result = client.get(reverse("api:catalog_search"), {"q": "宅基地审批"}).json()
    assert [r["title"] for r in result["results"]] == ["茅畲乡2019年宅基地审批结果公示"]
    # and: the approval is audited with who approved what they saw
    event = AuditEvent.objects.get(event="catalog.import.approved")
    assert event.actor_id == leader.pk
    assert event.data["rows"] == 3
    assert event.data["sha256"] == job.rows_sha256
    assert event.data["comment"] == "同意发布。"


def test_without_a_go_live_date_every_row_becomes_a_draft_of_the_review_chain(officer_client, client, upload):
    response = upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    assert (job.state, job.drafted, job.held) == ("done", 3, 0)
    assert "3 条信息已作为草稿进入审核流程" in response.content.decode()
    assert set(Entry.objects.values_list("status", flat=True)) == {"draft"}
    assert public_surfaces(client, "11331003MB0000002F/2019-00001", "宅基地审批") == (404, 404, 0, 0)


def test_a_row_published_after_go_live_becomes_a_draft_owned_by_its_office(
    officer_client, client, upload, go_live, cast, advance
):
    rows = [
        row(索引号="11331003MB0000002F/2025-00007", 发布日期="2025-02-01", 生成日期="2025-01-20", 主办科室="经济发展办")
    ]
    upload(officer_client, "catalog.xlsx", xlsx(rows))
    job = ImportJob.objects.get()
    assert (job.state, job.drafted, job.held) == ("done", 1, 0)
    entry = Entry.objects.get()
    assert (entry.status, entry.office, entry.published_on) == ("draft", cast.office, None)
    created = AuditEvent.objects.get(event="catalog.entry.created", object_id=str(entry.pk))
    assert created.data["import_job"] == job.pk
    assert public_surfaces(client, "11331003MB0000002F/2025-00007", "宅基地审批") == (404, 404, 0, 0)
    # The draft goes through the chain like any other; the importer, its maker, approves no step.
    entry = advance(entry, "leader_confidentiality")
    assert entry.status == "disclosure_check"
    with pytest.raises(PermissionDenied):
        services.approve(entry, actor=cast.disclosure, step="disclosure", comment="同意。")


def test_the_uploader_cannot_approve_their_own_batch(client, upload, go_live, make_user, world):
    both = make_user(world.township, "both.roles", Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE)
    client.force_login(both)
    upload(client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    with pytest.raises(PermissionDenied):
        bulk.approve_import(job, actor=both, comment="同意。", sha256=job.rows_sha256)
    response = client.post(
        reverse("catalog:staff-import-approve", args=["maoshe", job.pk]),
        {"comment": "同意。", "sha256": job.rows_sha256},
    )
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.state == "awaiting_approval"
    assert Entry.objects.count() == 0


def test_another_agencys_leader_cannot_approve(officer_client, client, upload, go_live, world):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    foreign = world.person(world.department, Role.LEADER_IN_CHARGE)
    with pytest.raises(PermissionDenied):
        bulk.approve_import(job, actor=foreign, comment="同意。", sha256=job.rows_sha256)
    client.force_login(foreign)
    for url in (
        reverse("catalog:staff-import-approve", args=["maoshe", job.pk]),
        reverse("catalog:staff-import-approve", args=[world.department.slug, job.pk]),
    ):
        assert client.post(url, {"comment": "同意。", "sha256": job.rows_sha256}).status_code == 404
    job.refresh_from_db()
    assert job.state == "awaiting_approval"
    assert Entry.objects.count() == 0


def test_a_disclosure_officer_cannot_approve_a_batch(officer_client, upload, go_live, world):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    other_officer = world.person(world.township, Role.PRINCIPAL_LEADER)
    with pytest.raises(PermissionDenied):
        bulk.approve_import(job, actor=other_officer, comment="同意。", sha256=job.rows_sha256)
    assert Entry.objects.count() == 0


def test_a_second_approval_does_nothing(officer_client, upload, go_live, leader):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    bulk.approve_import(job, actor=leader, comment="同意。", sha256=job.rows_sha256)
    with pytest.raises(ReviewError):
        bulk.approve_import(job, actor=leader, comment="同意。", sha256=job.rows_sha256)
    assert Entry.objects.count() == 3
    assert AuditEvent.objects.filter(event="catalog.import.approved").count() == 1


def test_an_approval_names_the_batch_the_leader_saw(officer_client, upload, go_live, leader):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    with pytest.raises(ReviewError):
        bulk.approve_import(job, actor=leader, comment="同意。", sha256="0" * 64)
    job.refresh_from_db()
    assert job.state == "awaiting_approval"
    assert Entry.objects.count() == 0


def test_a_rejected_batch_publishes_nothing(officer_client, client, upload, go_live, leader):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    client.force_login(leader)
    response = client.post(
        reverse("catalog:staff-import-reject", args=["maoshe", job.pk]), {"comment": "部分信息未经保密审查。"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.decision_comment) == ("rejected", "部分信息未经保密审查。")
    with pytest.raises(ReviewError):
        bulk.approve_import(job, actor=leader, comment="同意。", sha256=job.rows_sha256)
    assert Entry.objects.count() == 0
    assert public_surfaces(client, "11331003MB0000002F/2019-00001", "宅基地审批") == (404, 404, 0, 0)
    event = AuditEvent.objects.get(event="catalog.import.rejected")
    assert (event.actor_id, event.data["comment"]) == (leader.pk, "部分信息未经保密审查。")


def test_the_leader_sees_waiting_batches_in_the_queue(officer_client, client, upload, go_live, leader):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    client.force_login(leader)
    page = client.get(reverse("catalog:staff-leader-queue", args=["maoshe"])).content.decode()
    assert reverse("catalog:staff-import-review", args=["maoshe", job.pk]) in page


@pytest.mark.parametrize("go_live_set", [True, False])
def test_the_canary_row_is_refused_and_never_found(officer_client, client, upload, world, leader, go_live_set):
    if go_live_set:
        Agency.objects.filter(pk=world.township.pk).update(go_live_on=GO_LIVE)
    rows = [
        row(),
        row(
            索引号="11331003MB0000002F/2019-00002",
            名称="2019年困难群众救助名单",
            正文=f"张三，身份证号{CANARY_ID}，联系电话１３８００１３８０００。",
        ),
    ]
    response = upload(officer_client, "catalog.xlsx", xlsx(rows))
    page = response.content.decode()
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert [e["row"] for e in job.errors] == [3]
    assert "“正文”含有居民身份证号码（1101**********4573）" in page
    assert "“正文”含有手机号码（138****8000）" in page
    assert CANARY_ID not in page
    assert CANARY_PHONE not in page
    assert CANARY_ID not in str(job.errors)
    assert CANARY_PHONE not in str(job.errors)
    assert Entry.objects.count() == 0
    assert job.rows == []
    for query in (CANARY_ID, CANARY_PHONE, "困难群众救助"):
        assert client.get(reverse("api:catalog_search"), {"q": query}).json()["count"] == 0


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("名称", "联系人13912345678", "“名称”含有手机号码（139****5678）"),
        ("内容概述", "退款卡号6222 0212 3456 7890 128", "“内容概述”含有银行卡号（6222***********0128）"),
        ("文号", "11010119900307457X", None),  # a wrong check character is not an identity number
    ],
)
def test_every_field_is_scanned_for_personal_data(officer_client, upload, field, value, expected):
    response = upload(officer_client, "catalog.xlsx", xlsx([row(**{field: value})]))
    page = response.content.decode()
    if expected:
        assert expected in page
        assert ImportJob.objects.get().state == "failed"
    else:
        assert ImportJob.objects.get().state == "done"


def test_an_index_number_without_the_agencys_prefix_is_refused(officer_client, upload):
    rows = [row(), row(索引号="11331003MB0000003X/2019-00001", 名称="他单位的信息")]
    response = upload(officer_client, "catalog.xlsx", xlsx(rows))
    page = response.content.decode()
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert [e["row"] for e in job.errors] == [3]
    assert "不是以本机关的前缀“11331003MB0000002F/”开头" in page
    assert Entry.objects.count() == 0


def test_the_go_live_date_is_set_by_the_system_administrator_with_audit(client, world):
    admin = world.person(world.township, Role.SYSTEM_ADMIN)
    client.force_login(admin)
    url = reverse("accounts:agency-edit", args=["maoshe"])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["go_live_on"] = "2025-01-01"
    assert client.post(url, data).status_code == 302
    world.township.refresh_from_db()
    assert world.township.go_live_on == GO_LIVE
    event = AuditEvent.objects.get(event="accounts.agency.updated")
    assert event.data["after"]["go_live_on"] == "2025-01-01"
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    page = client.get(reverse("catalog:staff-import", args=["maoshe"])).content.decode()
    assert "本机关上线日期：2025-01-01" in page


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(officer_client, upload):
    rows = [
        row(),
        row(索引号="11331003MB0000002F/2019-00001"),  # repeats row 2
        row(索引号="11331003MB0000002F/2019-3", 名称="", 主题分类="不存在的分类"),
        row(索引号="11331003MB0000002F/2019-4", 发布日期="2019年13月40日"),
        row(索引号="11331003MB0000002F/2019-5", 公开方式="依申请公开"),  # no ground
        row(索引号="11331003MB0000002F/2019-6", 印发日期="2019-02-27"),  # issued before written (D4)
    ]
    response = upload(officer_client, "catalog.xlsx", xlsx(rows))
    page = response.content.decode()
    assert Entry.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.state == "failed"
    assert [e["row"] for e in job.errors] == [3, 4, 5, 6, 7]
    for text in (
        "与第 2 行重复",
        "“名称”为空",
        "不存在的分类",
        "“发布日期”不是形如",
        "须注明依据",
        "印发日期不能早于成文日期",
        "未导入任何信息",
    ):
        assert text in page


def test_csv_in_gb18030_is_accepted(officer_client, upload):
    lines = [",".join(HEADERS), ",".join(str(v) for v in row())]
    response = upload(officer_client, "catalog.csv", "\n".join(lines).encode("gb18030"))
    assert "1 条信息已作为草稿进入审核流程" in response.content.decode()


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

    from gongkai.catalog.extract import extract_text
    from gongkai.core.letters import Letter, render_pdf

    pdf = render_pdf(
        Letter(
            "茅畲乡人民政府", "茅政〔2026〕1号", "宅基地审批通知", "各村", ("宅基地审批材料清单。",), date(2026, 11, 2)
        )
    )
    text = extract_text("pdf", pdf)
    assert "宅基地审批" in text.replace("\n", "")
    assert not any(ord(c) < 32 and c not in "\n\t\r" for c in text)


def test_the_prefix_is_the_constant_start_of_the_agencys_index_number_format():
    from gongkai.accounts.validators import index_template_prefix

    assert index_template_prefix("{prefix}/{year}-{serial:05d}", prefix="11331003MB0000002F") == "11331003MB0000002F/"
    assert index_template_prefix("黄岩-{prefix}-{year}{serial}", prefix="P") == "黄岩-P-"


def _queued_job(world, officer, django_capture_on_commit_callbacks):
    """A queued import job of the legacy rows (no go-live date: all three become drafts)."""
    import hashlib

    from gongkai.core.uploads import CheckedFile

    data = xlsx(legacy_rows())
    checked = CheckedFile(data=data, kind="xlsx", original_name="目录.xlsx", sha256=hashlib.sha256(data).hexdigest())
    with django_capture_on_commit_callbacks(execute=True):  # the file is moved into place on commit
        return bulk.create_job(agency=world.township, actor=officer, checked=checked)


def test_an_import_job_runs_once_however_often_it_is_started(world, officer, django_capture_on_commit_callbacks):
    job = _queued_job(world, officer, django_capture_on_commit_callbacks)
    assert bulk.run_import_job(job.pk).state == ImportJob.State.DONE
    assert bulk.run_import_job(job.pk).state == ImportJob.State.DONE
    assert Entry.objects.filter(agency=world.township).count() == 3
    assert AuditEvent.objects.filter(event="catalog.import.completed").count() == 1


def test_a_job_another_worker_claimed_is_left_to_it(world, officer, django_capture_on_commit_callbacks):
    job = _queued_job(world, officer, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)  # the other worker's claim
    assert bulk.run_import_job(job.pk).state == ImportJob.State.RUNNING
    assert Entry.objects.filter(agency=world.township).count() == 0
    assert not AuditEvent.objects.filter(event__in=["catalog.import.completed", "catalog.import.refused"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_two_workers_cannot_both_run_one_job(world, officer, django_capture_on_commit_callbacks):
    from tests.applications.test_concurrency import run_in_threads

    job = _queued_job(world, officer, django_capture_on_commit_callbacks)
    assert run_in_threads(4, lambda i: bulk.run_import_job(job.pk)) == []
    assert Entry.objects.filter(agency=world.township).count() == 3
    assert AuditEvent.objects.filter(event="catalog.import.completed").count() == 1


def test_an_upload_is_queued_and_a_legacy_batch_held_both_audited(officer_client, officer, upload, go_live, world):
    upload(officer_client, "catalog.xlsx", xlsx(legacy_rows()))
    job = ImportJob.objects.get()
    queued = AuditEvent.objects.get(event="catalog.import.queued")
    assert (queued.result, queued.actor_username, queued.agency_id) == ("success", officer.username, world.township.pk)
    assert (queued.object_type, queued.object_id) == ("catalog.importjob", str(job.pk))
    assert queued.data == {"file": "catalog.xlsx"}
    held = AuditEvent.objects.get(event="catalog.import.held")
    assert (held.result, held.actor_username, held.agency_id) == ("success", officer.username, world.township.pk)
    assert (held.object_type, held.object_id) == ("catalog.importjob", str(job.pk))
    assert held.data == {"drafts": 0, "held": 3, "go_live_on": "2025-01-01", "sha256": job.rows_sha256}
    assert len(job.rows_sha256) == 64
    assert queued.pk < held.pk
    assert not AuditEvent.objects.filter(event="catalog.import.completed").exists()
