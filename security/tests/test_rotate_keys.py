"""Key rotation: data written under the old key reads with only the new key after rotate_data_keys."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from io import StringIO
from unittest import mock

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from audit.models import Event
from matters import personal_data
from matters.models import Petitioner, Representative
from scripts.xinfang_pytest_env import TEST_DATA_KEY, TEST_OLD_DATA_KEY

pytestmark = pytest.mark.django_db


def use_keys(keys: str) -> AbstractContextManager[object]:
    return mock.patch.dict(os.environ, {"XINFANG_DATA_KEYS": keys})


@pytest.fixture(autouse=True)
def fresh_key_cache() -> Iterator[None]:
    personal_data._keys.cache_clear()
    yield
    personal_data._keys.cache_clear()


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM matters_petitioner WHERE id = %s", [pk])
        return str(cur.fetchone()[0])


def test_rotate_then_read_with_only_the_new_key() -> None:
    with use_keys(TEST_OLD_DATA_KEY):
        personal_data._keys.cache_clear()
        people = [Petitioner.objects.create(name=f"张{i}", phone=f"1381234{i:04d}", id_number="") for i in range(7)]
        Representative.objects.create(petitioner=people[0], name="李四", phone="13900000000")
        old_token = raw("name", people[0].pk)
    assert Fernet(TEST_OLD_DATA_KEY.encode()).decrypt(old_token.encode()) == "张0".encode()

    out = StringIO()
    with use_keys(f"{TEST_DATA_KEY},{TEST_OLD_DATA_KEY}"):
        personal_data._keys.cache_clear()
        call_command("rotate_data_keys", "--batch-size", "3", stdout=out)
    text = out.getvalue()
    assert "matters.Petitioner: 3/7 rows" in text  # progress per batch
    assert "matters.Petitioner: 7/7 rows, 14 values re-encrypted" in text
    assert "matters.Representative: 1/1 rows, 2 values re-encrypted" in text

    with use_keys(TEST_DATA_KEY):
        personal_data._keys.cache_clear()
        assert sorted(p.name for p in Petitioner.objects.all()) == [f"张{i}" for i in range(7)]
        assert Petitioner.objects.get(pk=people[3].pk).phone == "13812340003"
        assert Representative.objects.get().name == "李四"
    with pytest.raises(InvalidToken):
        Fernet(TEST_OLD_DATA_KEY.encode()).decrypt(raw("name", people[0].pk).encode())
    assert Event.objects.filter(verb="rotate_data_keys").count() == 4  # three batches + one


def test_second_run_rewrites_nothing() -> None:
    Petitioner.objects.create(name="王五", phone="13800000001")
    before = raw("name", Petitioner.objects.get().pk)
    out = StringIO()
    call_command("rotate_data_keys", stdout=out)
    assert "done: 0 values re-encrypted" in out.getvalue()
    assert raw("name", Petitioner.objects.get().pk) == before
    assert not Event.objects.filter(verb="rotate_data_keys").exists()
