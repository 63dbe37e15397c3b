"""Stored files are checked against the hash recorded at upload (security.md FILE-04): the
scheduled `verify_files` job names exactly the tampered or missing file and exits non-zero."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.uploads import stored_path
from tests.applications.factories import make_application, make_attachment


@pytest.mark.django_db
def test_verify_files_names_exactly_the_tampered_and_the_missing_file(world, capsys):
    first = make_attachment(make_application(world.township))
    second = make_attachment(make_application(world.township))
    third = make_attachment(make_application(world.township))
    call_command("verify_files")
    assert "全部 3 个存储文件均已通过校验" in capsys.readouterr().out

    path = stored_path("attachments", second.stored_name)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))
    stored_path("attachments", third.stored_name).unlink()

    with pytest.raises(CommandError, match="3 个存储文件中有 2 个未通过校验"):
        call_command("verify_files")
    report = capsys.readouterr().err
    assert f"attachments/{second.stored_name}：内容与哈希值不符" in report
    assert f"attachments/{third.stored_name}：缺失" in report
    assert first.stored_name not in report
