"""The review chain through the staff pages, as people use it (issue 3 "Done when")."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.choices import Role
from gongkai.catalog import services
from gongkai.catalog.choices import Status
from gongkai.catalog.models import Entry, SubCategory
from gongkai.core.models import AuditEvent
from tests.catalog.factories import PDF


def form_data(**overrides):
    data = {
        "title": "茅畲乡关于宅基地审批有关事项的通知",
        "document_number": "",
        "formed_on": timezone.localdate().isoformat(),
        "category": "a21_homestead",
        "attribute": "proactive",
        "ground": "",
        "ground_note": "",
        "scope": "public",
        "validity": "current",
        "summary": "宅基地审批的条件和流程。",
        "body": "申请人向村委会提出申请，乡审核后公示。",
        "channels": ["website", "bulletin_board"],
        "relation": "",
        "related_index_number": "",
    }
    data.update(overrides)
    return data


def act(client, entry, **data):
    return client.post(
        reverse("catalog:staff-action", args=[entry.agency.slug, entry.pk]),
        {"revision": entry.revision, **data},
        follow=True,
    )


def test_a_document_goes_from_draft_to_publication_through_the_pages(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        reverse("catalog:staff-create", args=["maoshe"]),
        {**form_data(is_important="on"), "attachment": SimpleUploadedFile("公示.pdf", PDF)},
        follow=True,
    )
    assert "草稿已保存" in response.content.decode()
    entry = Entry.objects.get()
    assert entry.attachments.count() == 1
    act(client, entry, action="submit")
    steps = [
        (cast.head, {"action": "approve", "classification": "not_secret", "comment": "非涉密，同意。"}),
        (cast.secrecy, {"action": "approve", "comment": "同意。"}),
        (cast.leader, {"action": "approve", "comment": "同意。"}),
        (cast.disclosure, {"action": "approve", "comment": "属性正确。"}),
        (cast.principal, {"action": "approve", "comment": "同意发布。"}),
        (cast.web, {"action": "publish", "at": ""}),
    ]
    for person, data in steps:
        client.force_login(person)
        entry.refresh_from_db()
        page = client.get(entry.get_staff_url()).content.decode()
        assert "您的环节" in page, person.username
        response = act(client, entry, **data)
        assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    client.logout()
    public = client.get(entry.get_absolute_url()).content.decode()
    assert entry.index_number in public
    assert "公示.pdf" in public


def test_a_reviewer_acting_on_an_older_version_is_stopped(client, cast, draft):
    entry = draft()
    client.force_login(cast.clerk)
    act(client, entry, action="submit")
    client.force_login(cast.head)
    response = client.post(
        reverse("catalog:staff-action", args=["maoshe", entry.pk]),
        {"action": "approve", "classification": "not_secret", "comment": "同意", "revision": entry.revision - 1 or 99},
        follow=True,
    )
    assert "该信息已被修改" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).status == Status.OFFICE_REVIEW


def test_skipping_a_step_by_posting_is_refused_with_a_message(client, cast, draft):
    entry = draft()
    client.force_login(cast.clerk)
    act(client, entry, action="submit")
    client.force_login(cast.web)
    response = act(client, entry, action="publish", at="")
    assert "该信息不在“发布”环节" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).status == Status.OFFICE_REVIEW


def test_the_form_shows_chinese_errors_and_saves_nothing(client, cast):
    client.force_login(cast.clerk)
    response = client.post(
        reverse("catalog:staff-create", args=["maoshe"]), form_data(attribute="withheld", title="", summary="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="error" role="alert">这个字段是必填项。') == 2  # title and summary
    assert Entry.objects.count() == 0
    response = client.post(reverse("catalog:staff-create", args=["maoshe"]), form_data(attribute="withheld"))
    page = response.content.decode()
    assert "不予主动公开的信息须注明依据。" in page
    assert "请用一句话说明不予主动公开的理由。" in page
    assert Entry.objects.count() == 0


def test_an_official_document_asks_for_its_issue_date_and_is_due_from_it(client, cast):
    """D4 (issue 10): the form asks for 印发日期, refuses a document issued before it was written,
    and the detail page shows the date the publication is due and how it was counted."""
    client.force_login(cast.clerk)
    official = {"is_official_document": "on", "document_number": "茅政发〔2026〕9号", "written_on": "2026-09-25"}
    create = reverse("catalog:staff-create", args=["maoshe"])
    page = client.post(create, form_data(formed_on="2026-09-30", **official)).content.decode()
    assert "公文须填写印发日期。" in page
    page = client.post(create, form_data(formed_on="2026-09-30", issued_on="2026-09-24", **official)).content.decode()
    assert "印发日期不能早于成文日期。" in page
    assert Entry.objects.count() == 0
    response = client.post(create, form_data(formed_on="2026-09-30", issued_on="2026-09-30", **official), follow=True)
    page = response.content.decode()
    assert "印发日期</dt><dd>2026-09-30" in page
    assert "2026-10-08" in page  # 1 working day after issue, across 国庆
    assert "1 个工作日" in page  # how it was counted
    assert Entry.objects.get().publish_due_on.isoformat() == "2026-10-08"


def test_staff_of_another_agency_get_not_found(client, world, cast, draft):
    entry = draft()
    client.force_login(world.person(world.department, Role.DISCLOSURE_OFFICER))
    assert client.get(reverse("catalog:staff-detail", args=["maoshe", entry.pk])).status_code == 404
    assert client.get(reverse("catalog:staff-detail", args=["huangyan-agri", entry.pk])).status_code == 404


def test_office_staff_do_not_see_other_offices_items(client, cast, make_user, draft):
    other = cast.agency.offices.exclude(pk=cast.office.pk).exclude(is_disclosure_office=True).first()
    outsider = make_user(cast.agency, "other.clerk", Role.CLERK, office=other)
    entry = draft()
    client.force_login(outsider)
    assert client.get(reverse("catalog:staff-detail", args=["maoshe", entry.pk])).status_code == 404
    assert entry.title not in client.get(reverse("catalog:staff-list", args=["maoshe"]) + "?show=all").content.decode()


def test_the_leader_queue_approves_chosen_routine_items(client, cast, draft, advance):
    items = [advance(draft(title=f"常规{i}"), "confidentiality") for i in range(2)]
    client.force_login(cast.leader)
    page = client.get(reverse("catalog:staff-leader-queue", args=["maoshe"])).content.decode()
    assert all(i.title in page for i in items)
    client.post(
        reverse("catalog:staff-leader-queue", args=["maoshe"]), {"entry": [i.pk for i in items], "comment": "同意。"}
    )
    assert set(Entry.objects.values_list("status", flat=True)) == {Status.DISCLOSURE_CHECK}


def test_lists_show_what_waits_for_me_and_what_is_overdue(client, cast, draft):
    from datetime import timedelta

    late = draft(title="逾期事项", formed_on=timezone.localdate() - timedelta(days=60))
    client.force_login(cast.clerk)
    act(client, late, action="submit")
    client.force_login(cast.head)
    waiting = client.get(reverse("catalog:staff-list", args=["maoshe"])).content.decode()
    assert "逾期事项" in waiting
    due = client.get(reverse("catalog:staff-list", args=["maoshe"]) + "?show=due").content.decode()
    assert "逾期事项" in due
    assert "已逾期" in due


@pytest.mark.parametrize("action", ["withdraw", "validity"])
def test_after_publication_actions_need_a_reason(client, cast, published, action):
    entry = published()
    client.force_login(cast.disclosure)
    response = act(client, entry, action=action, reason="", validity="repealed")
    assert "理由" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).status == Status.PUBLISHED


def test_the_disclosure_office_adds_sub_categories_that_drafters_then_choose(client, cast):
    from gongkai.catalog.models import SubCategory

    client.force_login(cast.disclosure)
    url = reverse("catalog:staff-subcategories", args=["maoshe"])
    client.post(url, {"category": "a21_homestead", "name": "审批结果公示"})
    again = client.post(url, {"category": "a21_homestead", "name": "审批结果公示"})
    assert "该子分类已存在" in again.content.decode()
    sub = SubCategory.objects.get()
    client.force_login(cast.clerk)
    form = client.get(reverse("catalog:staff-create", args=["maoshe"])).content.decode()
    assert "审批结果公示" in form
    client.post(reverse("catalog:staff-create", args=["maoshe"]), form_data(subcategory=sub.pk))
    assert Entry.objects.get().subcategory == sub


def test_adding_a_sub_category_is_audited(client, cast):
    client.force_login(cast.disclosure)
    response = client.post(
        reverse("catalog:staff-subcategories", args=["maoshe"]), {"category": "a21_homestead", "name": "审批结果公示"}
    )
    assert response.status_code == 302
    sub = SubCategory.objects.get()
    event = AuditEvent.objects.get(event="catalog.subcategory.created")
    assert (event.result, event.actor_username, event.agency_id) == (
        "success",
        cast.disclosure.username,
        cast.agency.pk,
    )
    assert (event.object_type, event.object_id, event.object_repr) == ("catalog.subcategory", str(sub.pk), str(sub))
    assert event.data == {"category": "a21_homestead"}


@pytest.mark.parametrize("who", ["clerk", "another agency's disclosure officer"])
def test_a_refused_sub_category_is_audited_and_adds_nothing(world, cast, who):
    actor = cast.clerk if who == "clerk" else world.person(world.department, Role.DISCLOSURE_OFFICER)
    with pytest.raises(PermissionDenied):
        services.add_subcategory(actor=actor, agency=cast.agency, category="a21_homestead", name="审批结果公示")
    assert not SubCategory.objects.exists()
    refusal = AuditEvent.objects.get(event="catalog.subcategory.action_refused")
    assert (refusal.result, refusal.actor_username) == ("refused", actor.username)
    assert (refusal.object_type, refusal.object_id) == ("accounts.agency", str(cast.agency.pk))
    assert refusal.data == {"action": "add_subcategory", "reason": "只有党政办才能维护子分类。"}
    assert not AuditEvent.objects.filter(event="catalog.subcategory.created").exists()
