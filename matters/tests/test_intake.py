"""Registration on every channel: clear errors that write nothing, attachments, query codes,
personal data encrypted at rest and found by keyed hash."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit.models import Event
from matters import services as s
from matters.errors import InvalidInput
from matters.models import Attachment, Channel, Matter, Petitioner, PetitionerKind
from matters.personal_data import lookup_hash, mask_id_number, mask_name, mask_phone
from xinfang.testing import at

from .journeys import register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minimal"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 10


def _data(**overrides):
    fields = {"channel": "letter", "title": "路灯不亮", "content": "小区路灯坏了一个月。",
              "petitioner": s.PetitionerData(name="王五", phone="+86 138-0013-8000")}
    fields.update(overrides)
    return s.RegistrationData(**fields)


def _register(world, **overrides):
    return s.register_matter(_data(**overrides), actor=world.users["registrar"], now=at(2026, 3, 2))


@pytest.mark.parametrize("channel", Channel.values)
def test_every_channel_registers_with_the_same_lifecycle(world, channel):
    m = _register(world, channel=channel)
    assert m.state == "registered" and m.statutory_due.isoformat() == "2026-03-17"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"content": ""}, "content"),
        ({"channel": "pigeon"}, "channel"),
        ({"handling_kind": "gossip"}, "handling_kind"),
        ({"petitioner": s.PetitionerData(name="")}, "petitioner.name"),
        ({"petitioner": s.PetitionerData(name="x", phone="12")}, "petitioner.phone"),
        ({"petitioner": s.PetitionerData(name="群体", kind=PetitionerKind.GROUP, group_size=30,
                                         representatives=[(f"代表{i}", "") for i in range(6)])},
         "petitioner.representatives"),
        ({"petitioner": s.PetitionerData(name="群体", kind=PetitionerKind.GROUP)}, "petitioner.group_size"),
        ({"category_id": 999999}, "category_id"),
        ({"area_id": 999999}, "area_id"),
        ({"attachments": [s.IncomingFile("a.exe", "application/x-msdownload", b"MZ")]}, "attachments[0]"),
        ({"attachments": [s.IncomingFile("fake.pdf", "application/pdf", b"not a pdf")]}, "attachments[0]"),
        ({"attachments": [s.IncomingFile("empty.png", "image/png", b"")]}, "attachments[0]"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(world, overrides, field):
    events = Event.objects.count()
    with pytest.raises(InvalidInput) as e:
        _register(world, **overrides)
    assert field in e.value.fields and e.value.fields[field]
    assert Matter.objects.count() == 0 and Petitioner.objects.count() == 0
    assert Event.objects.count() == events


def test_oversized_attachment_is_refused_with_the_limit(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as e:
        _register(world, attachments=[s.IncomingFile("big.pdf", "application/pdf", PDF + b"0" * 200)])
    assert "100" in e.value.fields["attachments[0]"]


def test_attachments_are_stored_once_by_content_hash(world):
    files = [s.IncomingFile("scan.pdf", "application/pdf", PDF), s.IncomingFile("photo.png", "image/png", PNG)]
    m1 = _register(world, attachments=files)
    m2 = _register(world, attachments=[s.IncomingFile("same-scan.pdf", "application/pdf", PDF)])
    a1, a2 = Attachment.objects.get(matter=m1, filename="scan.pdf"), Attachment.objects.get(matter=m2)
    assert a1.sha256 == a2.sha256
    stored = Path(settings.MEDIA_ROOT) / "attachments" / a1.sha256[:2] / a1.sha256
    assert stored.read_bytes() == PDF
    assert m1.attachments.count() == 2


def test_query_codes_are_short_unambiguous_and_distinct(world):
    codes = {_register(world).query_code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{10}", code)


def test_bulk_query_codes_use_every_symbol_equally():
    codes = s.new_query_codes(100_000)
    assert len(set(codes)) == 100_000 and all(re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{10}", c) for c in codes)
    # 1,000,000 symbols, 40,000 of each expected (sd 196). Mapping bytes modulo 25 without
    # rejection would give the first six symbols about 43,000 each.
    counts = Counter("".join(codes))
    assert len(counts) == 25 and all(abs(n - 40_000) < 1_500 for n in counts.values())


def test_personal_data_is_encrypted_at_rest(world):
    m = register(world, phone="13812345678")
    with connection.cursor() as cur:
        cur.execute("SELECT name, phone, id_number FROM matters_petitioner WHERE id = %s", [m.petitioner_id])
        raw = cur.fetchone()
    assert all(v and "张三" not in v and "13812345678" not in v and "4301" not in v for v in raw)
    fresh = Petitioner.objects.get(pk=m.petitioner_id)
    assert (fresh.name, fresh.phone, fresh.id_number) == ("张三", "13812345678", "430102199001011234")


def test_petitioner_found_by_phone_or_id_through_the_keyed_hash(world):
    m = register(world, phone="138 1234 5678")
    assert Petitioner.objects.filter(phone_hash=lookup_hash("13812345678")).get() == m.petitioner
    assert Petitioner.objects.filter(id_hash=lookup_hash("430102199001011234")).get() == m.petitioner
    assert lookup_hash("13812345678") != __import__("hashlib").sha256(b"13812345678").hexdigest()


def test_masks():
    assert mask_name("欧阳修") == "欧**"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("430102199001011234") == "4301**********1234"


def test_reveal_is_an_event(world):
    m = register(world)
    p = s.reveal_petitioner(m.pk, actor=world.users["handler"], now=at(2026, 3, 3))
    assert p.name == "张三"
    assert Event.objects.filter(verb="view_personal_data", target_id=m.pk, actor=world.users["handler"]).exists()
    with pytest.raises(Matter.DoesNotExist):
        s.reveal_petitioner(m.pk, actor=world.users["d2_handler"], now=at(2026, 3, 3))
