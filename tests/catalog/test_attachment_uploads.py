"""Catalog attachments and import files through the real staff pages (security.md FILE-01,
FILE-03, REL-01): active content is refused with 400 and a Chinese message, nothing is kept;
an accepted attachment's file appears once the draft commits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from gongkai.accounts.choices import Role
from gongkai.catalog.models import Entry, EntryAttachment, ImportJob
from gongkai.core.uploads import stored_path
from tests.catalog.test_staff_views import form_data
from tests.core import upload_corpus as corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MALWARE_SCANNER = "tests.core.upload_corpus.FakeScanner"
    corpus.FakeScanner.verdict = "clean"
    yield
    corpus.FakeScanner.verdict = "clean"


def files(settings) -> list:
    root = settings.PRIVATE_MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def create(client, upload):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("catalog:staff-create", args=["maoshe"]), {**form_data(), "attachment": upload})


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        (
            "通知.docx",
            lambda: corpus.rezip(corpus.office(), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
            "含有宏或 ActiveX 控件",
        ),
        ("通知.docx", lambda: corpus.macro_content_types(corpus.office()), "含有宏或 ActiveX 控件"),
        ("明细.xlsx", lambda: corpus.macro_content_types(corpus.office("xlsx"), "xlsx"), "含有宏或 ActiveX 控件"),
        ("通知.docx", lambda: corpus.external_relationship(corpus.office(), "oleObject"), "从外部加载的对象"),
        (
            "通知.docx",
            lambda: corpus.rezip(corpus.office(), add={"word/embeddings/oleObject1.bin": b"\xd0\xcf"}),
            "嵌入的程序",
        ),
        (
            "公示.pdf",
            lambda: corpus.pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>"),
            "打开时会运行的脚本",
        ),
        ("照片.png", lambda: corpus.png() + corpus.SCRIPT, "网页或脚本代码"),
    ],
)
def test_an_attachment_with_active_content_is_refused_and_nothing_is_kept(
    client, world, settings, name, build, message
):
    client.force_login(world.person(world.township, Role.CLERK))
    response = create(client, SimpleUploadedFile(name, build()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Entry.objects.count() == 0
    assert files(settings) == []


def test_an_accepted_attachment_is_on_disk_once_the_draft_commits(client, world, settings):
    client.force_login(world.person(world.township, Role.CLERK))
    data = corpus.office()
    assert create(client, SimpleUploadedFile("通知.docx", data)).status_code == 302
    attachment = EntryAttachment.objects.get()
    assert stored_path("catalog", attachment.stored_name).read_bytes() == data
    assert [p.name for p in files(settings)] == [attachment.stored_name]  # no .part left


def test_while_the_scanner_is_down_an_attachment_is_refused_with_503(client, world, settings):
    corpus.FakeScanner.verdict = "down"
    client.force_login(world.person(world.township, Role.CLERK))
    response = create(client, SimpleUploadedFile("通知.docx", corpus.office()))
    assert response.status_code == 503
    assert "暂时无法检查文件，请稍后再试。" in response.content.decode()
    assert Entry.objects.count() == 0
    assert files(settings) == []


@pytest.mark.parametrize(
    ("name", "build", "status"),
    [
        ("目录.xlsx", lambda: corpus.rezip(corpus.office("xlsx"), add={"xl/vbaProject.bin": b"x"}), 400),
        ("目录.csv", lambda: "索引号,名称\n".encode() + corpus.EICAR, 400),
    ],
)
def test_an_import_file_with_macros_or_malware_is_refused(client, world, settings, name, build, status):
    client.force_login(world.person(world.township, Role.DISCLOSURE_OFFICER))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("catalog:staff-import", args=["maoshe"]), {"file": SimpleUploadedFile(name, build())}
        )
    assert response.status_code == status
    assert ImportJob.objects.count() == 0
    assert files(settings) == []
