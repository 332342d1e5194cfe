"""The UI speaks Simplified Chinese: the shipped catalogue has no untranslated or fuzzy entry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("which", ["--untranslated", "--only-fuzzy"])
def test_every_message_is_translated(which: str) -> None:
    if not shutil.which("msgattrib"):
        pytest.skip("gettext is not installed (make test installs it)")
    out = subprocess.run(["msgattrib", which, "--no-obsolete", str(PO)], capture_output=True, text=True, check=True).stdout
    entries = [block for block in out.split("\n\n") if block.strip() and 'msgid ""\nmsgstr ""' not in block]
    assert entries == [], "\n\n".join(entries[:5])
