"""Crawls of every URL of the permission matrix (security.md WEB-02, WEB-03, PI-02): each answer
carries the security headers, staff and applicant pages are never cached, no state-changing
endpoint accepts a POST without its CSRF token, and no page shows an applicant's full ID number or
phone number — only the audited reveal does."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.accounts.choices import Role
from gongkai.core.models import AuditEvent
from tests.applications.factories import CANARY_ID, CANARY_PHONE, make_application
from tests.core.test_permission_matrix import ANON, ANY_STAFF, EXPECTED, build_url

HTML_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSP_DIRECTIVES = ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'")
PUBLIC_PREFIXES = (
    "portal:",
    "catalog:index",
    "catalog:agency",
    "catalog:item",
    "catalog:feed",
    "catalog:sitemap",
    "catalog:attachment",
    "api:catalog",
    "api:workdays",
    "api:openapi",
    "api:api-root",
    "accounts:login",
    "accounts:logout",  # an empty 405 to GET; signing out is a POST
)


def _someone_allowed(world, who):
    """A person who may open the URL (the first matching role of the township, else the district)."""
    if who in (ANON, ANY_STAFF):
        return None if who == ANON else world.person(world.township, Role.CLERK)
    for agency_label, role in sorted(who, key=lambda pair: (pair[0] != "own", str(pair[1]))):
        agency = world.township if agency_label == "own" else world.district
        return world.person(agency, role), agency
    return None


def _open(client, world, name):
    who, ok_status, kind = EXPECTED[name]
    person = _someone_allowed(world, who)
    agency = world.township
    if isinstance(person, tuple):
        person, agency = person
    if person is not None:
        client.force_login(person)
    url, query = build_url(name, kind, agency, world.person(agency, Role.CLERK))
    return client.get(url, query), ok_status, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_answer_carries_the_security_headers(client, world, name, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    response, ok_status, url = _open(client, world, name)
    assert response.status_code == ok_status, url
    assert response["X-Content-Type-Options"] == "nosniff"
    if response.get("Content-Type", "").startswith("text/html"):
        for header, value in HTML_HEADERS.items():
            assert response[header] == value, (url, header)
        csp = response["Content-Security-Policy"]
        assert all(directive in csp for directive in CSP_DIRECTIVES), (url, csp)
        assert "unsafe-inline" not in csp
    if not name.startswith(PUBLIC_PREFIXES):
        # staff pages, the applicant's pages and private files are never stored by a browser or proxy
        assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))


POST_ONLY = sorted(name for name, (who, status, kind) in EXPECTED.items() if status == 405)


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ONLY)
def test_no_state_change_is_accepted_without_its_csrf_token(world, name, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = Client(enforce_csrf_checks=True)
    who, _status, kind = EXPECTED[name]
    person = _someone_allowed(world, who)
    agency = world.township
    if isinstance(person, tuple):
        person, agency = person
    if person is not None:
        client.force_login(person)
    url, _query = build_url(name, kind, agency, world.person(agency, Role.CLERK))
    before = AuditEvent.objects.exclude(event="core.access.denied").count()
    content_type = "application/json" if url.startswith("/api/") else "application/x-www-form-urlencoded"
    response = client.post(url, data="{}" if url.startswith("/api/") else "", content_type=content_type)
    if url.startswith("/api/") and person is None:
        # The public API takes no cookies, so it needs no CSRF token; it must still refuse an empty body.
        assert 400 <= response.status_code < 500, url
    else:
        assert response.status_code == 403, url
        if not url.startswith("/api/"):  # a page explains the expired form; the API answers in JSON
            assert "表单已失效" in response.content.decode(), url
    assert AuditEvent.objects.exclude(event="core.access.denied").count() == before, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "applications:staff-reveal"))
def test_no_page_shows_a_full_id_number_or_phone_number(client, world, name, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    make_application(world.township)  # the canary applicant, in every list and count
    response, _ok, url = _open(client, world, name)
    body = b"".join(response) if response.streaming else response.content
    assert CANARY_ID.encode() not in body, url
    assert CANARY_PHONE.encode() not in body, url
