"""Fuzzing every URL (security.md WEB-05): no input makes the platform answer 5xx, and every 4xx
carries a Chinese message (a JSON ``detail``/``errors`` under /api/).

Every URL pattern of the project is walked as in tests/core/test_permission_matrix.py, with its
fixture objects. For each, as an anonymous visitor and as a signed-in person whose role and
agency may use it, hypothesis sends GET and POST requests where path parameters, query and
form fields (the input names read from the page itself and from the OpenAPI document) and
JSON bodies hold values from a corpus of nasty input (NUL and other controls, lone surrogates,
impossible and extreme dates, huge and full-width numbers, RTL marks, SQL and HTML injection,
very long strings) or generated text. The examples are derandomised, so CI is reproducible;
the bound per URL keeps the whole walk short. Both databases run it (.ci/run): PostgreSQL is
where a NUL byte actually raises.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai.accounts.choices import Role
from tests.applications.factories import applicant_fields
from tests.core.test_permission_matrix import ANON, ANY_STAFF, EXPECTED, build_url, url_names

pytestmark = pytest.mark.django_db

EXAMPLES_PER_URL = 4

# The corpus: each value once broke something somewhere, or is a classic. Regression lines for
# the 500s this test found are marked with the URL they broke.
CORPUS = [
    "\x00",  # PostgreSQL: "A string literal cannot contain NUL (0x00) characters"
    "GK\x00-2026",  # /api/v1/catalog/{index}, /api/v1/applications/{number}, /catalog/items/…/
    "\x0b\x0c\x1b[31m\x7f",  # controls a DOCX/XLSX/Atom document cannot hold
    "\ud800",  # a lone surrogate: cannot be encoded for either database
    "\ufffe\uffff",
    "\u202e\u202dabc\u200f",  # RTL / LTR overrides and marks
    "\ufeff",
    "9999-12-31",  # /api/v1/workdays/add, the staff calculator: past date.max
    "0000-00-00",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-10-01T00:00:00",
    "-1",
    "0",
    "abc",  # /applications/track/notice/ notice=abc
    "99999999999999999999999999",
    "-9223372036854775809",
    "9" * 5000,  # beyond Python's int-parsing digit limit
    "1e308",
    "NaN",
    "１２３",  # full-width digits
    "²",
    "٣",
    "'; DROP TABLE accounts_user; --",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}",
    "${7*7}%s%n",
    "../../etc/passwd",
    "a" * 10_000,
    "政" * 5_000,
    "",
    " ",
    "\r\n\t",
    "null",
    "true",
    "[]",
    "{}",
    "😀",
    "maoshe",
    "received",
    "pdf",
]
nasty = st.one_of(st.sampled_from(CORPUS), st.text(max_size=30))

# JSON bodies beside the mutated valid one.
BAD_BODIES = [
    ("{bad", "application/json"),
    ("", "application/json"),
    ("[" * 5000, "application/json"),
    ('"just a string"', "application/json"),
    ("[]", "application/json"),
    ("null", "application/json"),
    ('{"agency": {"nested": [1, 2]}}', "application/json"),
    ('{"agency": "\\u0000"}', "application/json"),
    ('{"agency": "\\ud800"}', "application/json"),
    ("\xff\xfe\x00", "application/json"),
    ('{"agency": "maoshe"}', "text/plain"),
    ("agency=maoshe", "application/x-www-form-urlencoded"),
    ('{"agency": "maoshe"}', ""),
]

CJK = re.compile("[\u4e00-\u9fff]")
CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# POST-only URLs: their input names are on the page that holds their form.
PARENT = {
    "applications:staff-event": "applications:staff-detail",
    "applications:staff-reveal": "applications:staff-detail",
    "applications:staff-notice": "applications:staff-detail",
    "applications:staff-receipt-with-code": "applications:staff-detail",
    "catalog:staff-action": "catalog:staff-detail",
    "disputes:staff-event": "disputes:staff-detail",
    "disputes:staff-document": "disputes:staff-detail",
    "reports:staff-action": "reports:staff-detail",
    "reports:staff-edit": "reports:staff-detail",
    "reports:staff-correct": "reports:staff-detail",
    "reports:staff-start": "reports:staff-list",
    "applications:track-notice": "applications:track",
}
# Names a view reads without a form field on its page.
EXTRA_NAMES = {
    "applications:track-notice": ["notice", "format"],
    "applications:staff-reveal": ["field"],
    # Its form is on the detail page only while a registration's query code waits to be printed.
    "applications:staff-receipt-with-code": ["served_on", "served_by"],
    "catalog:staff-action": ["action", "revision", "reason", "authority", "comment", "opinion"],
    # The step's form fields carry its name as a prefix; the URL names the step "answered".
    "disputes:staff-event": ["answered-on", "answered-note"],
    "core:workday-calculator": ["mode"],
    # The district's roll-up reads the year from the query; the steps read a reason.
    "reports:district": ["year"],
    "reports:staff-action": ["reason"],
    "reports:staff-detail": ["version"],
    "reports:staff-json": ["version"],
    "reports:staff-download": ["version"],
}
GENERIC_NAMES = ["page", "q", "next", "format"]


class Inputs(HTMLParser):
    """Input names and their current values on a page (a stand-in for a person filling it)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a and name in self.values:
                return
            self.values.setdefault(name, a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in a:
                self.values[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def page_inputs(client, url) -> dict[str, str]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    parser = Inputs()
    parser.feed(response.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def openapi_names(client) -> dict[str, list[str]]:
    spec = client.get("/api/v1/openapi.json").json()
    names: dict[str, list[str]] = {}
    for operations in spec["paths"].values():
        for operation in operations.values():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            names[f"api:{operation['operationId']}"] = params
    return names


def person_for(world, who):
    """A person allowed to use the URL (None: anonymous is allowed) and the agency they act for."""
    if who == ANON:
        return world.person(world.township, Role.DISCLOSURE_OFFICER), world.township
    if who == ANY_STAFF:
        return world.person(world.township, Role.CLERK), world.township
    label, role = sorted(who)[-1]  # "own" sorts after "district": prefer the township
    agency = world.township if label == "own" else world.district
    return world.person(agency, role), agency


def check(response, what, path):
    status = response.status_code
    assert status < 500, f"{what} -> {status}"
    if not 400 <= status < 500:
        return
    body = response.content.decode("utf-8", "replace")
    if path.startswith("/api/"):
        data = json.loads(body)
        messages = [data["detail"]] if "detail" in data else [m for ms in data["errors"].values() for m in ms]
        assert messages, f"{what} -> {status} {body[:200]}"
        assert all(CJK.search(str(m)) for m in messages), f"{what} -> {status} {body[:200]}"
    else:
        assert CJK.search(body), f"{what} -> {status} without a Chinese message: {body[:200]}"


def fuzz_url(client, world, name, api_names):
    who, _ok, kind = EXPECTED[name]
    person, agency = person_for(world, who)
    member = world.person(agency, Role.CLERK)
    client.force_login(person)
    url, base_query = build_url(name, kind, agency, member)
    match = resolve(url)
    route = "/" + match.route
    path_values = {k: str(v) for k, v in match.kwargs.items() if isinstance(v, str | int)}
    base = dict(base_query)
    if name in PARENT:
        parent_kwargs = {k: v for k, v in match.kwargs.items() if k in ("agency_slug", "number", "pk", "year")}
        base.update(page_inputs(client, reverse(PARENT[name], kwargs=parent_kwargs)))
    else:
        base.update(page_inputs(client, url + ("?" + urlencode(base_query) if base_query else "")))
    names = sorted({*base, *EXTRA_NAMES.get(name, []), *api_names.get(name, []), *GENERIC_NAMES})
    json_body = None
    if name == "api:applications_create":
        json_body = {k: v for k, v in applicant_fields().items() if k != "has_identity_proof"}
        json_body.update({"agency": agency.slug, "idempotency_key": "fuzz-key-000001"})
        names = sorted({*names, *json_body})

    def path_with(overrides):
        def one(m):
            value = overrides.get(m["name"], path_values.get(m["name"], ""))
            return quote(str(value), safe="")

        return CONVERTER.sub(one, route)

    @settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the message names the request
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        path_override = {}
        if path_values and data.draw(st.booleans(), label="bad path"):
            key = data.draw(st.sampled_from(sorted(path_values)), label="path parameter")
            path_override[key] = data.draw(nasty, label="path value")
        path = path_with(path_override)
        fields = dict(base)
        for key in data.draw(st.lists(st.sampled_from(names), max_size=3, unique=True), label="fields"):
            fields[key] = data.draw(nasty, label=key)
        query = urlencode(fields, doseq=True)
        client.force_login(person)
        check(client.get(f"{path}?{query}"), f"GET {path}?{query[:200]}", path)
        if json_body is not None:
            body = {**json_body, **{k: v for k, v in fields.items() if k in json_body}}
            if data.draw(st.booleans(), label="wrong type"):
                body[data.draw(st.sampled_from(sorted(body)), label="retyped")] = data.draw(
                    st.sampled_from([None, 1, -1, 1.5, True, [], {}, ["x"], {"a": "\x00"}])
                )
            raw, content_type = data.draw(st.sampled_from([(json.dumps(body), "application/json"), *BAD_BODIES]))
            response = client.generic("POST", path, raw.encode("utf-8", "surrogatepass"), content_type)
            check(response, f"POST {path} {content_type} {raw[:200]!r}", path)
        else:
            check(client.post(path, fields), f"POST {path} {str(fields)[:300]}", path)
        client.logout()
        check(client.get(f"{path}?{query}"), f"GET (anonymous) {path}?{query[:200]}", path)
        check(client.post(path, fields), f"POST (anonymous) {path} {str(fields)[:300]}", path)

    run()


def test_no_input_makes_any_url_answer_5xx(client, world):
    client.raise_request_exception = False  # a 500 is a status to report, with the URL
    api_names = openapi_names(client)
    failures = []
    for name in sorted(set(url_names())):
        try:
            fuzz_url(client, world, name, api_names)
        except Exception as exc:  # noqa: BLE001 - collect every URL's failure, then fail once
            failures.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:500]}")
    assert failures == []
