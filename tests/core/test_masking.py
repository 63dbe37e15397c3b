"""Personal data is masked wherever it is shown or logged (security.md PI-02, PI-05)."""

from __future__ import annotations

import logging

from gongkai.core.masking import MaskPersonalDataFilter, mask_id_number, mask_phone, mask_text

CANARY_ID = "110101199003074573"
CANARY_PHONE = "13800138000"


def test_id_number_and_phone_masks():
    assert mask_id_number(CANARY_ID) == "1101**********4573"
    assert mask_phone(CANARY_PHONE) == "138****8000"


def test_free_text_is_masked():
    text = f"申请人身份证 {CANARY_ID}，电话{CANARY_PHONE}。"
    masked = mask_text(text)
    assert CANARY_ID not in masked
    assert CANARY_PHONE not in masked
    assert "1101**********4573" in masked
    assert "138****8000" in masked


def test_log_records_never_carry_the_canaries(caplog):
    logger = logging.getLogger("gongkai.test")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="gongkai.test"):
            logger.info("applicant %s phone %s", CANARY_ID, CANARY_PHONE)
    finally:
        logger.filters.clear()
    assert CANARY_ID not in caplog.text
    assert CANARY_PHONE not in caplog.text
