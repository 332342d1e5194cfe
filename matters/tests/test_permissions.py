"""The permission matrix: role × where the actor sits relative to the matter (own unit, the unit
above, a sibling, another branch), for each kind of action; and the confidentiality of accusations."""

from typing import Any

import pytest

from matters import selectors
from matters import services as s
from matters.errors import InvalidInput, NotAllowed
from matters.lifecycle import State
from matters.models import HandlingKind, Matter

from .journeys import act, matter_in, register

pytestmark = pytest.mark.django_db

ALLOWED, FORBIDDEN, NOT_FOUND = "allowed", "403", "404"


def _outcome(fn: Any) -> str:
    try:
        fn()
    except NotAllowed:
        return FORBIDDEN
    except Matter.DoesNotExist:
        return NOT_FOUND
    return ALLOWED


# Matter handled by d1_housing. Users: handler/housing_head (own unit), d1_head/d1_reviewer/d1_registrar
# (district above), reviewer/registrar/supervisor (city above), d2_handler/d2_head (sibling district's
# bureau), street_handler (another branch of the same district), nobody (own unit, no role).
ACCEPT = {
    "handler": ALLOWED, "housing_head": ALLOWED, "d1_head": ALLOWED, "d1_reviewer": ALLOWED, "reviewer": ALLOWED,
    "registrar": FORBIDDEN, "supervisor": FORBIDDEN, "d1_registrar": FORBIDDEN,
    "d2_handler": NOT_FOUND, "d2_head": NOT_FOUND, "street_handler": NOT_FOUND, "nobody": NOT_FOUND,
}
EXTEND = {
    "housing_head": ALLOWED, "d1_head": ALLOWED, "handler": FORBIDDEN, "reviewer": FORBIDDEN,
    "d2_head": NOT_FOUND, "street_handler": NOT_FOUND,
}
FORWARD = {
    "registrar": ALLOWED, "reviewer": ALLOWED, "d1_registrar": ALLOWED, "d1_reviewer": ALLOWED,
    "handler": FORBIDDEN, "housing_head": FORBIDDEN, "supervisor": FORBIDDEN, "d2_handler": NOT_FOUND,
}
# Review is decided by the body above the handling unit: never by the unit itself.
DECIDE_REVIEW = {
    "d1_head": ALLOWED, "d1_reviewer": ALLOWED, "reviewer": ALLOWED,
    "housing_head": FORBIDDEN, "handler": FORBIDDEN, "registrar": FORBIDDEN, "d2_head": NOT_FOUND,
}


@pytest.mark.parametrize(("user", "expected"), sorted(ACCEPT.items()))
def test_accept(world, user, expected):
    m = register(world)
    assert _outcome(lambda: act(world, m, "accept", user, (2026, 3, 3))) == expected


@pytest.mark.parametrize(("user", "expected"), sorted(EXTEND.items()))
def test_extend(world, user, expected):
    m = matter_in(world, State.ACCEPTED)
    assert _outcome(lambda: act(world, m, "extend", user, (2026, 3, 10), days=10, reason="勘查")) == expected


@pytest.mark.parametrize(("user", "expected"), sorted(FORWARD.items()))
def test_forward(world, user, expected):
    m = register(world)
    to = world.units["d1_street"].pk
    assert _outcome(lambda: act(world, m, "forward", user, (2026, 3, 3), to_unit_id=to)) == expected


@pytest.mark.parametrize(("user", "expected"), sorted(DECIDE_REVIEW.items()))
def test_decide_review(world, user, expected):
    m = matter_in(world, State.REVIEW_REQUESTED)
    assert _outcome(lambda: act(world, m, "decide_review", user, (2026, 4, 1), decision="维持")) == expected


def test_re_review_must_come_from_above_the_reviewing_body(world):
    m = matter_in(world, State.RE_REVIEW_REQUESTED)  # reviewed by district d1
    for user in ("d1_head", "d1_reviewer"):
        assert _outcome(lambda u=user: act(world, m, "decide_re_review", u, (2026, 4, 10), decision="维持")) == FORBIDDEN
    assert _outcome(lambda: act(world, m, "decide_re_review", "reviewer", (2026, 4, 10), decision="维持")) == ALLOWED


def test_only_registrars_register(world):
    data = s.RegistrationData(channel="visit", title="t", content="c", petitioner=s.PetitionerData(name="李四"))
    with pytest.raises(NotAllowed):
        s.register_matter(data, actor=world.users["handler"], now=__import__("xinfang.testing").testing.at(2026, 3, 2))


def test_registrar_cannot_send_a_matter_outside_their_scope(world):
    from xinfang.testing import at

    data = s.RegistrationData(channel="visit", title="t", content="c", petitioner=s.PetitionerData(name="李四"),
                              handling_unit_id=world.units["d2_housing"].pk)
    with pytest.raises(InvalidInput) as e:
        s.register_matter(data, actor=world.users["d1_registrar"], now=at(2026, 3, 2))
    assert "handling_unit_id" in e.value.fields


@pytest.mark.parametrize(
    ("user", "sees"),
    [("supervisor", True), ("registrar", True), ("d1_registrar", True), ("d1_head", True), ("handler", True),
     ("d2_head", False), ("d2_handler", False), ("street_handler", False), ("nobody", False)],
)
def test_visibility_follows_the_subtree(world, user, sees):
    m = register(world)
    assert selectors.matters_visible_to(world.users[user]).filter(pk=m.pk).exists() == sees


@pytest.mark.parametrize(
    ("user", "sees"),
    [("discipline", True), ("registrar", True), ("reviewer", True),  # discipline inspection, petition office
     ("d1_head", False), ("handler", False), ("d1_registrar", False), ("d2_head", False)],  # d1: out of scope
)
def test_accusations_are_seen_only_by_petition_office_and_discipline_inspection(world, user, sees):
    m = register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION, title="举报某局干部")
    assert selectors.matters_visible_to(world.users[user]).filter(pk=m.pk).exists() == sees


def test_an_accusation_in_a_district_is_hidden_from_its_government_head(world):
    m = register(world, unit="d1_office", kind=HandlingKind.ACCUSATION, title="举报")
    # d1_head's scope covers d1_office, but they work outside the petition office.
    assert not selectors.matters_visible_to(world.users["d1_head"]).filter(pk=m.pk).exists()
    assert selectors.matters_visible_to(world.users["d1_reviewer"]).filter(pk=m.pk).exists()


def test_an_accusation_can_never_be_forwarded_to_a_functional_unit(world):
    m = register(world, unit="city_discipline", kind=HandlingKind.ACCUSATION, title="举报")
    with pytest.raises(InvalidInput):
        act(world, m, "forward", "reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk)
    with pytest.raises(InvalidInput):
        register(world, unit="d1_housing", kind=HandlingKind.ACCUSATION)
    assert Matter.objects.get(pk=m.pk).handling_unit == world.units["city_discipline"]


def test_available_actions_match_what_the_services_allow(world):
    m = register(world)
    assert "accept" in selectors.available_actions(world.users["handler"], m)
    assert "accept" not in selectors.available_actions(world.users["registrar"], m)
    assert "extend" not in selectors.available_actions(world.users["housing_head"], m)  # not accepted yet
    m = matter_in(world, State.REVIEW_REQUESTED)
    assert "decide_review" in selectors.available_actions(world.users["d1_head"], m)
    assert "decide_review" not in selectors.available_actions(world.users["housing_head"], m)


def test_forwarding_stays_within_the_forwarders_scope(world):
    m = register(world, unit="d1_office")
    with pytest.raises(InvalidInput) as e:
        act(world, m, "forward", "d1_reviewer", (2026, 3, 3), to_unit_id=world.units["d2_housing"].pk)
    assert "to_unit_id" in e.value.fields
    assert act(world, m, "forward", "d1_reviewer", (2026, 3, 3), to_unit_id=world.units["d1_housing"].pk).state == "forwarded"


def test_a_city_wide_scope_stops_at_the_city_boundary(world):
    """A scope over the whole of one tree is not a scope over every tree: another city's matter
    stays a 404 for the first city's reviewer."""
    from org.models import Role, UnitKind
    from org.services import create_unit, grant_role

    other_city = create_unit("B市", kind=UnitKind.TERRITORIAL, level_name="市")
    other_office = create_unit("B市信访局", kind=UnitKind.PETITION_OFFICE, level_name="市", parent=other_city)
    grant_role(world.users["registrar"], Role.REGISTRAR, other_city)
    theirs = register(world, unit="d1_housing")
    theirs.handling_unit = other_office
    theirs.intake_unit = other_office
    theirs.save()
    ours = register(world)
    reviewer = world.users["reviewer"]
    assert set(selectors.matters_visible_to(reviewer).values_list("pk", flat=True)) == {ours.pk}
    with pytest.raises(Matter.DoesNotExist):
        selectors.get_matter_for(reviewer, theirs.pk)


def test_a_new_role_widens_the_scope_at_once(world):
    from org.models import Role
    from org.services import grant_role

    m = register(world, unit="d2_housing")
    handler = world.users["handler"]
    assert not selectors.matters_visible_to(handler).filter(pk=m.pk).exists()
    grant_role(handler, Role.HANDLER, world.units["d2_housing"])
    assert selectors.matters_visible_to(handler).filter(pk=m.pk).exists()
