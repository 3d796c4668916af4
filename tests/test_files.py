"""Exports and lists are written whole or not at all."""

from __future__ import annotations

import pytest

from checkin.files import whole_file


def test_a_failed_write_leaves_the_old_file_and_no_leftovers(tmp_path):
    target = tmp_path / "attendance.csv"
    target.write_text("the old list")
    with pytest.raises(RuntimeError), whole_file(target) as tmp:
        tmp.write_text("half of the new li")
        raise RuntimeError("USB stick pulled")
    assert target.read_text() == "the old list"
    assert [p.name for p in tmp_path.iterdir()] == ["attendance.csv"]


def test_a_finished_write_replaces_the_file(tmp_path):
    target = tmp_path / "sub" / "list.pdf"
    with whole_file(target) as tmp:
        tmp.write_bytes(b"%PDF new")
    assert target.read_bytes() == b"%PDF new"
    assert [p.name for p in target.parent.iterdir()] == ["list.pdf"]
