"""The personal-data scanner shared by the catalog import and publication (security.md PUB-01)."""

from __future__ import annotations

import pytest

from gongkai.core.pii import BANK_CARD, ID_NUMBER, MOBILE, Finding, luhn_valid, scan_fields, scan_text

CANARY_ID = "110101199003074573"
CANARY_PHONE = "13800138000"


def test_the_canaries_are_found_and_only_masked_excerpts_are_returned():
    findings = scan_fields({"title": "救助名单", "body": f"身份证{CANARY_ID}，电话{CANARY_PHONE}。"})
    assert findings == [
        Finding(kind=ID_NUMBER, field="body", excerpt="1101**********4573"),
        Finding(kind=MOBILE, field="body", excerpt="138****8000"),
    ]
    assert CANARY_ID not in repr(findings)
    assert CANARY_PHONE not in repr(findings)


def test_full_width_digits_count_after_nfkc():
    assert scan_text("电话：１３８００１３８０００") == [(MOBILE, "138****8000")]
    assert scan_text("１１０１０１１９９００３０７４５７３") == [(ID_NUMBER, "1101**********4573")]


@pytest.mark.parametrize(
    "text",
    [
        "110101199003074574",  # wrong check character
        "110101199013074571",  # impossible month
        "990101199003074573",  # no such region
        "12800138000",  # not a mobile prefix
        "138001380001",  # 12 digits: part of a longer number
        "11331003MB0000002F/2019-00001",  # an index number
        "2019-03-01 至 2019-12-31",
    ],
)
def test_what_is_not_personal_data_is_not_reported(text):
    assert scan_text(text) == []


def test_grouped_numbers_and_bank_cards_are_found():
    assert scan_text("138 0013 8000") == [(MOBILE, "138****8000")]
    assert scan_text("卡号 4111 1111 1111 1111") == [(BANK_CARD, "4111********1111")]
    assert scan_text("卡号 4111111111111112") == []  # fails the Luhn check


def test_an_identity_number_is_not_also_reported_as_a_card_or_phone():
    assert [kind for kind, _ in scan_text(CANARY_ID)] == [ID_NUMBER]


def test_luhn():
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111121")
