"""``--now`` reads the same way in every command that acts as of a moment."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from xinfang.commands import command_now


def test_an_offset_is_kept_and_a_bare_time_is_shanghai_time() -> None:
    assert command_now("2026-04-21T02:00:00+00:00") == datetime(2026, 4, 21, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert command_now("2026-04-21T10:00:00") == datetime(2026, 4, 21, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["close_lapsed", "escalate", "remind_screening", "apply_retention"])
def test_a_bad_now_is_a_clear_error(command: str) -> None:
    with pytest.raises(CommandError, match="--now"):
        call_command(command, "--now", "yesterday")
