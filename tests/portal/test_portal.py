"""The public portal shell: home with the district's disclosure-office contact block, and each
agency's 政府信息公开指南 page (A2, A9; art. 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_district_contact_block_and_every_agency(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "黄岩区政府信息公开领导小组办公室" in body
    assert world.district.phone in body
    assert world.district.supervision_phone in body
    assert "台州市黄岩区茅畲乡人民政府" in body
    assert "台州市黄岩区农业农村局" in body


@pytest.mark.parametrize("slug", ["huangyan", "maoshe", "huangyan-agri"])
def test_each_agency_has_a_disclosure_guide_with_all_contact_details(client, world, slug):
    from gongkai.accounts.models import Agency

    agency = Agency.objects.get(slug=slug)
    body = client.get(reverse("portal:guide", args=[slug])).content.decode()
    for value in (
        agency.disclosure_office_name,
        agency.address,
        agency.office_hours,
        agency.phone,
        agency.acceptance_phone,
    ):
        assert value in body
    assert "政府信息公开指南" in body
    assert "20 个工作日" in body


def test_unknown_or_inactive_agency_guide_is_not_found(client, world):
    assert client.get(reverse("portal:guide", args=["nowhere"])).status_code == 404
    world.department.is_active = False
    world.department.save(update_fields=["is_active"])
    assert client.get(reverse("portal:guide", args=["huangyan-agri"])).status_code == 404


def test_public_pages_load_only_local_assets(client, world):
    body = client.get(reverse("portal:home")).content.decode()
    assert 'src="http' not in body
    assert 'href="http' not in body
    assert "/static/css/gongkai.css" in body
