"""The management commands, called as objects so they work before the app is in INSTALLED_APPS."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from intel.management.commands import classify_file


def test_classify_file_command(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text("id,subject,text\n1,,网约车司机态度恶劣，乱收费还拒载\n", encoding="utf-8")
    call_command(classify_file.Command(), str(src), str(dst))
    with open(dst, encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["label"] == "交通运输"


def test_classify_file_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command(classify_file.Command(), str(tmp_path / "nope.csv"), str(tmp_path / "out.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("id,subject\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="text"):
        call_command(classify_file.Command(), str(bad), str(tmp_path / "out.csv"))
