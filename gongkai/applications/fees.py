"""The information processing fee (国办函〔2020〕109号, regulations.md §3). Pure functions.

Charged only when the quantity or frequency of applications clearly exceeds a reasonable range
(条例 art. 42), by request or by volume — never both for one application (art. 3) — progressively
by excess bands:

- by request (art. 4), counting the same applicant's applications in one calendar month:
  1–10 free; 11–30 100 元 each; then bands of 10, each band 100 元 more (31–40 200 元, 41–50 300 元…);
- by volume (art. 5), for paper copies, e-mail or copied electronic data: 1–30 pages free;
  31–100 10 元/page; 101–200 20 元/page; 201 and more 40 元/page.

The "31–40 = 200 元" reading of "以10件为一档，每增加一档，收费标准提高100元/件" is the plain one;
regulations.md marks it as an interpretation. Amounts are whole yuan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

PER_REQUEST = "per_request"
PER_PAGE = "per_page"
PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))  # (up to and including, 元 per page)


@dataclass(frozen=True)
class Fee:
    mode: str
    amount: int  # 元
    basis: str  # shown to staff and printed on the fee notice


def request_rate(position_in_month: int) -> int:
    """The fee of the applicant's ``position_in_month``-th application this calendar month."""
    if position_in_month < 1:
        raise ValueError("position starts at 1")
    if position_in_month <= 10:
        return 0
    if position_in_month <= 30:
        return 100
    return 100 + 100 * ((position_in_month - 31) // 10 + 1)


def fee_per_request(position_in_month: int) -> Fee:
    rate = request_rate(position_in_month)
    basis = _(
        "Charged by request (109号 art. 4): this is the applicant's application no. %(n)d this calendar month; "
        "1–10 are free, 11–30 cost 100 yuan each, and each further band of 10 costs 100 yuan more. Fee: %(amount)d yuan."  # noqa: E501
    ) % {"n": position_in_month, "amount": rate}
    return Fee(PER_REQUEST, rate, basis)


def fee_per_page(pages: int) -> Fee:
    if pages < 0:
        raise ValueError("pages cannot be negative")
    amount, lower, parts = 0, 0, []
    for upper, rate in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            amount += (top - lower) * rate
            if rate:
                parts.append(
                    _("pages %(first)d–%(last)d at %(rate)d yuan") % {"first": lower + 1, "last": top, "rate": rate}
                )
        if upper is None or pages <= upper:
            break
        lower = upper
    basis = _(
        "Charged by volume (109号 art. 5): %(pages)d pages; the first 30 are free; %(parts)s. Fee: %(amount)d yuan."
    ) % {"pages": pages, "parts": "；".join(parts) or _("nothing to pay"), "amount": amount}
    return Fee(PER_PAGE, amount, basis)
