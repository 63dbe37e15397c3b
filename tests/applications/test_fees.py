"""Fees (国办函〔2020〕109号 arts. 3–5): progressive bands, computed with their basis."""

from __future__ import annotations

import pytest

from gongkai.applications.fees import fee_per_page, fee_per_request, request_rate


@pytest.mark.parametrize(
    ("position", "rate"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_per_request_bands(position, rate):
    assert request_rate(position) == rate
    assert fee_per_request(position).amount == rate


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 700),  # 70 × 10
        (101, 720),  # 700 + 20
        (200, 2700),  # 700 + 100 × 20
        (201, 2740),  # 2700 + 40
        (250, 4700),  # 2700 + 50 × 40
    ],
)
def test_per_page_progressive_bands(pages, amount):
    assert fee_per_page(pages).amount == amount


def test_basis_names_the_rule_and_the_bands():
    basis = fee_per_page(120).basis
    assert "109号" in basis
    assert "31—100" in basis
    assert "101—120" in basis
    assert "1100" in basis  # 700 + 20 × 20
