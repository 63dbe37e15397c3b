"""The permission matrix (security.md AC-01, AC-04; issue 2): every URL of the project is
classified, and every role gets exactly the answer this table expects, deny by default.

The expectations are written out here by hand, not derived from gongkai.core.access, so a
wrong entry in the policy table makes this test fail."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.accounts.choices import Role
from gongkai.core.access import URL_ACCESS
from gongkai.reports.models import Report
from tests.applications.factories import make_application, make_archive, make_attachment, make_notice
from tests.catalog.factories import make_entry, make_entry_attachment, make_import_job
from tests.disputes.factories import make_dispute

ALL_ROLES = list(Role)
ANON = "anonymous"
ANY_STAFF = "any staff"


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


APPLICATION_READERS = {
    (agency, role)
    for agency in ("own", "district")
    for role in (Role.DISCLOSURE_OFFICER, Role.LEADER_IN_CHARGE, Role.PRINCIPAL_LEADER)
}

OFFICERS = {("own", Role.DISCLOSURE_OFFICER), ("district", Role.DISCLOSURE_OFFICER)}
APPLICATION_SEE_ALL = APPLICATION_READERS | {(a, Role.CONFIDENTIALITY_REVIEWER) for a in ("own", "district")}
APPLICATION_WORKERS = APPLICATION_SEE_ALL | {
    (a, r) for a in ("own", "district") for r in (Role.CLERK, Role.OFFICE_HEAD)
}

CATALOG_WORKERS = APPLICATION_WORKERS | {(a, Role.WEB_ADMINISTRATOR) for a in ("own", "district")}
CLERKS = {("own", Role.CLERK), ("district", Role.CLERK)}
ROLE_APPROVERS = {(a, r) for a in ("own", "district") for r in (Role.SECURITY_ADMIN, Role.PRINCIPAL_LEADER)}
LEADERS = {("own", Role.LEADER_IN_CHARGE), ("district", Role.LEADER_IN_CHARGE)}
REPORT_READERS = APPLICATION_READERS | {(a, Role.WEB_ADMINISTRATOR) for a in ("own", "district")}

# url name -> (who is allowed, expected status when allowed, kind of URL arguments)
# who: ANON (everyone), ANY_STAFF, or a set of (agency, role) pairs with agency "district"/"own"
EXPECTED = {
    "portal:home": (ANON, 200, None),
    "portal:guide": (ANON, 200, "agency"),
    "accounts:login": (ANON, 200, None),
    "accounts:logout": (ANON, 405, None),  # POST only
    "accounts:dashboard": (ANY_STAFF, 200, None),
    "accounts:password-change": (ANY_STAFF, 200, None),
    # The second factor (AUTH-04). force_login gives both factors (tests/conftest.py), so the
    # code step sends a verified person straight on.
    "accounts:otp-verify": (ANY_STAFF, 302, None),
    "accounts:otp-enrol": (ANY_STAFF, 200, None),
    "accounts:two-factor": (ANY_STAFF, 200, None),
    "accounts:recovery-codes": (ANY_STAFF, 405, None),  # POST only
    "core:workday-calculator": (ANY_STAFF, 200, None),
    "core:calendar-list": ({("district", Role.SYSTEM_ADMIN)}, 200, None),
    "core:calendar-create": ({("district", Role.SYSTEM_ADMIN)}, 200, None),
    "core:calendar-edit": ({("district", Role.SYSTEM_ADMIN)}, 200, "year"),
    "core:audit-list": ({("district", Role.AUDIT_ADMIN), ("own", Role.AUDIT_ADMIN)}, 200, None),
    "accounts:agency-edit": ({("own", Role.SYSTEM_ADMIN), ("district", Role.SYSTEM_ADMIN)}, 200, "own-agency"),
    "accounts:user-list": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 200, "own-agency"),
    "accounts:user-create": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 200, "own-agency"),
    "accounts:user-edit": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 200, "own-member"),
    "accounts:user-deactivate": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 405, "own-member"),
    "accounts:user-activate": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 405, "own-member"),
    # Role grants wait for a second person (AC-04): the approver's queue; the service decides who
    # may decide which request (tests/accounts/test_role_requests.py)
    "accounts:role-request-list": (ROLE_APPROVERS, 200, None),
    "accounts:role-request-decide": (ROLE_APPROVERS, 405, "role-request"),  # POST only
    "accounts:agency-security": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 200, "own-agency"),
    "accounts:user-otp-reset": ({("own", Role.SECURITY_ADMIN), ("district", Role.SECURITY_ADMIN)}, 405, "own-member"),
    "applications:apply": (ANON, 200, "agency"),
    "applications:receipt": (ANON, 404, None),  # only after a submission in this session
    "applications:track": (ANON, 200, None),
    # Office staff reach the list (filtered to their office) but not an unassigned application.
    "applications:staff-list": (APPLICATION_WORKERS, 200, "own-agency"),
    "applications:staff-detail": (APPLICATION_SEE_ALL, 200, "own-application"),
    "applications:staff-event": (APPLICATION_WORKERS, 405, "own-application-event"),  # POST only
    "applications:staff-create": (
        {("own", Role.DISCLOSURE_OFFICER), ("district", Role.DISCLOSURE_OFFICER)},
        200,
        "own-agency",
    ),
    "applications:staff-reveal": (
        {("own", Role.DISCLOSURE_OFFICER), ("district", Role.DISCLOSURE_OFFICER)},
        405,
        "own-application",
    ),
    "applications:staff-notice": (OFFICERS, 405, "own-application"),  # POST only
    "applications:staff-receipt-with-code": (
        {("own", Role.DISCLOSURE_OFFICER), ("district", Role.DISCLOSURE_OFFICER)},
        405,  # POST only
        "own-application",
    ),
    "applications:staff-notice-file": (APPLICATION_SEE_ALL, 200, "own-notice-file"),
    "applications:track-notice": (ANON, 405, None),  # POST only, with number and query code
    "applications:template-list": (OFFICERS, 200, "own-agency"),
    "applications:archive": (OFFICERS, 200, "own-agency"),
    "applications:staff-attachment": (OFFICERS, 200, "own-attachment"),
    "applications:archive-file": (OFFICERS, 200, "own-archive"),
    "applications:template-edit": (OFFICERS, 200, "own-agency-template"),
    "api:applications_create": (ANON, 405, None),  # POST only
    "api:applications_status": (ANON, 404, "api-application"),  # without the query code
    "api:agencies_list": (ANON, 200, None),
    "api:openapi-json": (ANON, 200, None),
    "api:workdays_add": (ANON, 200, "query-add"),
    "api:workdays_between_view": (ANON, 200, "query-between"),
    "api:workdays_info": (ANON, 200, "query-info"),
    "api:api-root": (ANON, 404, None),  # ninja's root has no operation: an empty 404
    # The catalog: public pages show published items only
    "catalog:index": (ANON, 200, None),
    "catalog:agency-catalog": (ANON, 200, "agency"),
    "catalog:item": (ANON, 200, "catalog-item"),
    "catalog:attachment": (ANON, 200, "catalog-attachment"),
    "catalog:feed": (ANON, 200, None),
    "catalog:sitemap": (ANON, 200, None),
    "api:catalog_search": (ANON, 200, "query-catalog"),
    "api:catalog_item": (ANON, 200, "api-catalog-item"),
    # Staff catalog work: the review chain's roles; an item of the clerk's office is seen by all
    "catalog:staff-list": (CATALOG_WORKERS, 200, "own-agency"),
    "catalog:staff-detail": (CATALOG_WORKERS, 200, "own-catalog-entry"),
    "catalog:staff-action": (CATALOG_WORKERS, 405, "own-catalog-entry"),  # POST only
    "catalog:staff-version": (CATALOG_WORKERS, 200, "own-catalog-version"),
    "catalog:staff-attachment": (CATALOG_WORKERS, 200, "own-catalog-attachment"),
    "catalog:staff-review-form": (CATALOG_WORKERS, 200, "own-catalog-escalated"),
    "catalog:staff-create": (CLERKS, 200, "own-agency"),
    "catalog:staff-edit": (CLERKS, 200, "own-catalog-entry"),
    "catalog:staff-leader-queue": (
        {("own", Role.LEADER_IN_CHARGE), ("district", Role.LEADER_IN_CHARGE)},
        200,
        "own-agency",
    ),
    "catalog:staff-import": (OFFICERS, 200, "own-agency"),
    "catalog:staff-subcategories": (OFFICERS, 200, "own-agency"),
    "catalog:staff-import-status": (OFFICERS, 200, "own-import-job"),
    "catalog:staff-import-review": (LEADERS, 200, "own-import-job"),
    "catalog:staff-import-approve": (LEADERS, 405, "own-import-job"),  # POST only
    "catalog:staff-import-reject": (LEADERS, 405, "own-import-job"),  # POST only
    # Administrative disputes: the disclosure office handles them, the leaders read them (F1).
    "disputes:staff-list": (APPLICATION_READERS, 200, "own-agency"),
    "disputes:staff-detail": (APPLICATION_READERS, 200, "own-dispute"),
    "disputes:staff-create": (OFFICERS, 200, "own-agency"),
    "disputes:staff-event": (OFFICERS, 405, "own-dispute-event"),  # POST only
    "disputes:staff-document": (OFFICERS, 405, "own-dispute"),  # POST only
    "disputes:staff-bundle": (OFFICERS, 200, "own-dispute"),
    # The annual report: the disclosure office writes it, the leaders approve it, the web
    # administrator publishes it; the district supervisor reads the district's roll-up.
    "reports:staff-list": (REPORT_READERS, 200, "own-agency"),
    "reports:staff-detail": (REPORT_READERS, 200, "own-report"),
    "reports:staff-json": (REPORT_READERS, 200, "own-report"),
    "api:reports_annual": (REPORT_READERS, 200, "api-report"),
    "reports:staff-download": (REPORT_READERS, 200, "own-report-file"),
    "reports:staff-action": (REPORT_READERS, 405, "own-report-action"),  # POST only
    "reports:staff-start": (OFFICERS, 405, "own-agency"),  # POST only
    "reports:staff-edit": (OFFICERS, 405, "own-report"),  # POST only
    "reports:staff-correct": (OFFICERS, 405, "own-report"),  # POST only
    "reports:district": ({("district", Role.DISTRICT_SUPERVISOR)}, 200, None),
    "catalog:staff-export": (
        OFFICERS | {("own", Role.WEB_ADMINISTRATOR), ("district", Role.WEB_ADMINISTRATOR)},
        200,
        "own-agency",
    ),
}


def test_every_url_is_classified_in_the_policy_table():
    names = set(url_names())
    assert names - set(URL_ACCESS) == set(), "URLs missing from gongkai.core.access.URL_ACCESS"
    assert names - set(EXPECTED) == set(), "URLs missing from this test's expectations"
    assert set(URL_ACCESS) - names == set(), "stale entries in URL_ACCESS"


def build_url(name, kind, agency, member):
    query = {}
    if kind in ("catalog-item", "api-catalog-item", "catalog-attachment"):
        entry = make_entry(agency, status="published")
        if kind == "catalog-attachment":
            return reverse(name, args=[make_entry_attachment(entry).pk]), query
        return reverse(name, kwargs={"index_number": entry.index_number}), query
    if kind in ("own-catalog-entry", "own-catalog-version", "own-catalog-attachment", "own-catalog-escalated"):
        entry = make_entry(agency, **({"escalated_to": "区国家保密局"} if kind == "own-catalog-escalated" else {}))
        if kind == "own-catalog-version":
            return reverse(name, args=[agency.slug, entry.pk, 1]), query
        if kind == "own-catalog-attachment":
            return reverse(name, args=[agency.slug, make_entry_attachment(entry).pk]), query
        return reverse(name, args=[agency.slug, entry.pk]), query
    if kind in ("own-dispute", "own-dispute-event"):
        dispute = make_dispute(agency)
        if kind == "own-dispute-event":
            return reverse(name, args=[agency.slug, dispute.number, "answered"]), query
        return reverse(name, args=[agency.slug, dispute.number]), query
    if kind == "api-report":
        Report.objects.get_or_create(agency=agency, year=2026)
        return reverse(name, kwargs={"agency_slug": agency.slug, "year": 2026}), query
    if kind in ("own-report", "own-report-file", "own-report-action"):
        Report.objects.get_or_create(agency=agency, year=2026)
        extra = {"own-report-file": ["docx"], "own-report-action": ["submit"]}.get(kind, [])
        return reverse(name, args=[agency.slug, 2026, *extra]), query
    if kind == "role-request":
        return reverse(name, args=[1]), query
    if kind == "own-import-job":
        return reverse(name, args=[agency.slug, make_import_job(agency).pk]), query
    if kind == "query-catalog":
        return reverse(name), {"q": "宅基地审批"}
    if kind == "own-agency-template":
        return reverse(name, args=[agency.slug, "receipt"]), query
    if kind == "own-attachment":
        attachment = make_attachment(make_application(agency))
        return reverse(name, args=[agency.slug, attachment.application.number, attachment.pk]), query
    if kind == "own-archive":
        return reverse(name, args=[agency.slug, make_archive(agency).pk]), query
    if kind == "own-notice-file":
        notice = make_notice(make_application(agency))
        return reverse(name, args=[agency.slug, notice.application.number, notice.pk, "pdf"]), query
    if kind in ("own-application", "own-application-event", "api-application"):
        application = make_application(agency)
        if kind == "own-application-event":
            return reverse(name, args=[agency.slug, application.number, "replied"]), query
        if kind == "api-application":
            return reverse(name, args=[application.number]), query
        return reverse(name, args=[agency.slug, application.number]), query
    if kind == "agency":
        url = reverse(name, args=[agency.slug])
    elif kind == "year":
        url = reverse(name, args=[2026])
    elif kind == "own-agency":
        url = reverse(name, args=[agency.slug])
    elif kind == "own-member":
        url = reverse(name, args=[agency.slug, member.pk])
    else:
        url = reverse(name)
    if kind == "query-add":
        query = {"start": "2026-09-28", "days": "20"}
    elif kind == "query-between":
        query = {"start": "2026-09-30", "end": "2026-10-09"}
    elif kind == "query-info":
        query = {"date": "2026-10-10"}
    return url, query


def allowed(who, agency_label, role):
    if who == ANON:
        return True
    if role == ANON:
        return False
    if who == ANY_STAFF:
        return True
    return (agency_label, role) in who or (agency_label == "district" and ("district", role) in who)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(client, world, name, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    who, ok_status, kind = EXPECTED[name]
    cases = [("own", ANON, None)]
    cases += [("own", role, world.township) for role in ALL_ROLES if role != Role.DISTRICT_SUPERVISOR]
    cases += [("district", role, world.district) for role in ALL_ROLES]
    failures = []
    for agency_label, role, agency in cases:
        client.logout()
        target_agency = agency or world.township
        member = world.person(target_agency, Role.CLERK)
        if role != ANON:
            client.force_login(world.person(agency, role))
        url, query = build_url(name, kind, target_agency, member)
        status = client.get(url, query).status_code
        if name == "accounts:login" and role != ANON:
            expected = {302}  # a signed-in person is sent on to the workbench
        elif allowed(who, agency_label, role):
            expected = {ok_status}
        elif role == ANON:
            expected = {302}
        else:
            expected = {403, 404}
        if status not in expected:
            failures.append(f"{agency_label}/{role}: {url} -> {status}, expected {sorted(expected)}")
    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["accounts:user-list", "accounts:user-create", "accounts:agency-edit", "accounts:user-edit"]
)
def test_another_agencys_administration_pages_are_not_found(client, world, name):
    client.force_login(
        world.person(world.township, Role.SYSTEM_ADMIN if name == "accounts:agency-edit" else Role.SECURITY_ADMIN)
    )
    other = world.department
    args = [other.slug, world.person(other, Role.CLERK).pk] if name == "accounts:user-edit" else [other.slug]
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.django_db
def test_a_security_admin_cannot_act_on_another_agencys_staff_by_id(client, world):
    client.force_login(world.person(world.township, Role.SECURITY_ADMIN))
    foreign = world.person(world.department, Role.CLERK)
    # The person's id under the admin's own agency slug: still not found, and nothing changes.
    response = client.post(reverse("accounts:user-deactivate", args=["maoshe", foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


@pytest.mark.django_db
def test_denials_are_audited(client, world):
    from gongkai.core.models import AuditEvent

    client.force_login(world.person(world.township, Role.CLERK))
    client.get(reverse("core:audit-list"))
    event = AuditEvent.objects.get(event="core.access.denied")
    assert event.result == "refused"
    assert event.data["url_name"] == "core:audit-list"
