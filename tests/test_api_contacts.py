"""The contacts app (apis/contacts.py): lookups against the default world, and their effects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Session
from tests.helpers import answer_questions, assert_unchanged

PUBLIC_KEYS = {"id", "name", "email", "phone", "company", "relation"}
ALL_KEYS = PUBLIC_KEYS | {"address", "birthday", "notes"}
CONTACTS_IN_DEFAULT_WORLD = 38


def contact_id(session: Session, name: str) -> int:
    (row,) = session.rows("SELECT id FROM contacts WHERE name = ?", (name,))
    return int(row["id"])


def name_of(session: Session, contact: int | None) -> str | None:
    if contact is None:
        return None
    rows = session.rows("SELECT name FROM contacts WHERE id = ?", (contact,))
    return str(rows[0]["name"]) if rows else None


# -- find_contact_id ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("my insurance company", "Harbor Mutual Insurance"),
        ("insurance company", "Harbor Mutual Insurance"),
        ("car insurance", "Harbor Mutual Insurance"),
        ("Harbor Mutual", "Harbor Mutual Insurance"),
        ("health insurance", "Pinecrest Health Insurance"),
        ("landlord", "Greg Holloway"),
        ("my landlord", "Greg Holloway"),
        ("the landlord", "Greg Holloway"),
        ("plumber", "Dave Holloway"),
        ("dentist", "Dr. Alan Whitfield"),
        ("family doctor", "Dr. Priya Raman"),
        ("mother", "Linda Morgan"),
        ("bank", "Columbia Ridge Credit Union"),
        # look-alikes resolve to exactly the person named
        ("John Smith", "John Smith"),
        ("Jon Smith", "Jon Smith"),
        ("Johnny Smithers", "Johnny Smithers"),
        ("Katherine Lee", "Katherine Lee"),
        ("Kathryn Leigh", "Kathryn Leigh"),
        ("Sam Patel", "Sam Patel"),
        ("Samantha Patel", "Samantha Patel"),
        ("Katherine", "Katherine Lee"),
        ("Kathryn", "Kathryn Leigh"),
        # case, e-mail and phone
        ("GREG HOLLOWAY", "Greg Holloway"),
        ("greg@hollowayproperties.example", "Greg Holloway"),
        ("service@harbormutual.example", "Harbor Mutual Insurance"),
        ("+1 503 555 0153", "Greg Holloway"),
        ("+1 800 555 0148", "Harbor Mutual Insurance"),
    ],
)
def test_find_contact_id_resolves_to_the_right_person(
    full: Session, expression: str, expected: str
) -> None:
    found = full("find_contact_id", expression)
    assert isinstance(found, int)
    assert name_of(full, found) == expected
    assert found == contact_id(full, expected)
    assert_unchanged(full)


def test_my_insurance_company_is_the_car_insurer_not_the_health_insurer(full: Session) -> None:
    found = full("find_contact_id", "my insurance company")
    assert found != contact_id(full, "Pinecrest Health Insurance")
    assert found != contact_id(full, "Brent Castillo")
    assert full("find_contact_email", found) == "service@harbormutual.example"


@pytest.mark.parametrize("expression", ["zzqx", "Voldemort", "quantum chromodynamics"])
def test_find_contact_id_returns_none_when_nothing_matches(full: Session, expression: str) -> None:
    assert full("find_contact_id", expression) is None
    assert_unchanged(full)


@pytest.mark.parametrize("function", ["find_contact_id", "find_contacts"])
@pytest.mark.parametrize("expression", ["", "   ", "\t"])
def test_an_empty_expression_is_refused(full: Session, function: str, expression: str) -> None:
    outcome = full.outcome(function, expression)
    assert not outcome.ok
    assert outcome.error_kind == "api"
    assert outcome.error is not None
    assert "empty" in outcome.error
    assert "name" in outcome.error
    assert_unchanged(full)


def test_find_contact_id_rejects_a_non_string(full: Session) -> None:
    outcome = full.outcome("find_contact_id", 5)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "expression" in outcome.error
    assert "string" in outcome.error
    assert_unchanged(full)


# -- find_contacts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ("Smith", ["Jon Smith", "John Smith", "Johnny Smithers"]),
        ("John Smith", ["John Smith", "Johnny Smithers"]),
        ("Johnny Smithers", ["Johnny Smithers"]),  # John Smith shares too little
        ("Sam Patel", ["Sam Patel", "Samantha Patel"]),
        ("Samantha Patel", ["Samantha Patel", "Sam Patel"]),
        ("Patel", ["Sam Patel", "Samantha Patel"]),
        ("Holloway", ["Greg Holloway", "Dave Holloway"]),
        (
            "insurance",
            ["Harbor Mutual Insurance", "Pinecrest Health Insurance", "Brent Castillo"],
        ),
        (
            "Northwind",
            [
                "Maria Gonzalez",
                "Sam Patel",
                "Katherine Lee",
                "Derek Olsen",
                "Omar Haddad",
                "Northwind IT Helpdesk",
            ],
        ),
        ("zzqx", []),
    ],
)
def test_find_contacts_ranks_best_first(full: Session, expression: str, names: list[str]) -> None:
    found = full("find_contacts", expression)
    assert [contact["name"] for contact in found] == names
    assert_unchanged(full)


def test_find_contacts_gives_the_public_fields(full: Session) -> None:
    (greg,) = full("find_contacts", "landlord")
    assert greg == {
        "id": contact_id(full, "Greg Holloway"),
        "name": "Greg Holloway",
        "email": "greg@hollowayproperties.example",
        "phone": "+1 503 555 0153",
        "company": "Holloway Properties LLC",
        "relation": "landlord",
    }
    assert set(greg) == PUBLIC_KEYS


# -- find_contact_email / find_contact_phone --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Harbor Mutual Insurance", "service@harbormutual.example"),
        ("Greg Holloway", "greg@hollowayproperties.example"),
        ("Jon Smith", "jon.smith@cascadeoutfitters.example"),
        ("John Smith", "john.smith@webpost.example"),
        ("Kathryn Leigh", "kleigh@hawthorneridge-ms.example"),
        ("Samantha Patel", "samantha.patel@inbox.example"),
        ("Johnny Smithers", None),  # text only
        ("Mateo Reyes", None),
        ("Lucas Reyes", None),
    ],
)
def test_find_contact_email(full: Session, name: str, email: str | None) -> None:
    assert full("find_contact_email", contact_id(full, name)) == email
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("name", "phone"),
    [
        ("Greg Holloway", "+1 503 555 0153"),
        ("Johnny Smithers", "+1 503 555 0133"),
        ("Harbor Mutual Insurance", "+1 800 555 0148"),
        ("Ivy Chen", None),  # e-mail only
        ("Northwind IT Helpdesk", None),
    ],
)
def test_find_contact_phone(full: Session, name: str, phone: str | None) -> None:
    assert full("find_contact_phone", contact_id(full, name)) == phone
    assert_unchanged(full)


@pytest.mark.parametrize("function", ["find_contact_email", "find_contact_phone"])
@pytest.mark.parametrize("unknown", [0, -1, 9999])
def test_unknown_contact_id_gives_none(full: Session, function: str, unknown: int) -> None:
    outcome = full.outcome(function, unknown)
    assert outcome.ok, outcome.error
    assert outcome.value is None
    assert_unchanged(full)


@pytest.mark.parametrize("function", ["find_contact_email", "find_contact_phone", "get_contact"])
def test_a_name_instead_of_an_id_is_an_argument_error(full: Session, function: str) -> None:
    outcome = full.outcome(function, "Greg Holloway")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "contact_id" in outcome.error
    assert "integer" in outcome.error
    assert_unchanged(full)


def test_the_paper_chain_find_id_then_email(full: Session) -> None:
    email = full("find_contact_email", full("find_contact_id", "my insurance company"))
    assert email == "service@harbormutual.example"
    assert_unchanged(full)


# -- get_contact ----------------------------------------------------------------------------


def test_get_contact_gives_every_detail(full: Session) -> None:
    greg = full("get_contact", contact_id(full, "Greg Holloway"))
    assert set(greg) == ALL_KEYS
    assert greg["name"] == "Greg Holloway"
    assert greg["company"] == "Holloway Properties LLC"
    assert greg["relation"] == "landlord"
    assert greg["address"] == "PO Box 14422, Portland, OR 97293"
    assert greg["birthday"] is None
    assert "Rent $1,850" in greg["notes"]
    jordan = full("get_contact", contact_id(full, "Jordan Morgan"))
    assert jordan["relation"] == "spouse"
    assert jordan["birthday"] == "1990-03-21"
    assert "shellfish" in jordan["notes"]
    assert_unchanged(full)


@pytest.mark.parametrize("unknown", [0, 9999])
def test_get_contact_of_an_unknown_id_says_how_to_find_ids(full: Session, unknown: int) -> None:
    message = full.error("get_contact", unknown)
    assert f"no contact with id {unknown}" in message
    assert "find_contact_id" in message
    assert_unchanged(full)


# -- add_contact ----------------------------------------------------------------------------


def test_add_contact_inserts_exactly_one_row(full: Session) -> None:
    new_id = full(
        "add_contact",
        "Nina Alvarez",
        email="nina.alvarez@inbox.example",
        phone="+1 503 555 0190",
        company="Rimrock Coffee",
        relation="barista",
    )
    assert new_id == CONTACTS_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"contacts"}
    contacts = diff.tables["contacts"]
    assert contacts.removed == []
    assert contacts.changed == []
    assert contacts.added == [
        {
            "id": new_id,
            "name": "Nina Alvarez",
            "email": "nina.alvarez@inbox.example",
            "phone": "+1 503 555 0190",
            "company": "Rimrock Coffee",
            "relation": "barista",
            "address": None,
            "birthday": None,
            "notes": None,
        }
    ]
    assert full("find_contact_id", "Nina Alvarez") == new_id
    assert full("find_contact_id", "barista") == new_id
    assert full("find_contact_email", new_id) == "nina.alvarez@inbox.example"


def test_add_contact_with_a_name_only(full: Session) -> None:
    new_id = full("add_contact", "Pat")
    (row,) = full.transaction.diff().tables["contacts"].added
    assert row["id"] == new_id
    assert row["name"] == "Pat"
    assert row["email"] is None
    assert row["phone"] is None
    assert full("find_contact_email", new_id) is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("",), ["needs a name"]),
        (("   ",), ["needs a name"]),
        (("Nina", "nina at inbox"), ["'nina at inbox'", "not an e-mail address"]),
        (("Nina", ""), ["not an e-mail address"]),
    ],
)
def test_add_contact_refuses_bad_input(
    full: Session, args: tuple[str, ...], words: list[str]
) -> None:
    # positional: the Session helper's own first parameter is called `name`
    message = full.error("add_contact", *args)
    for word in words:
        assert word in message
    assert_unchanged(full)


def test_add_contact_without_a_name_is_an_argument_error(full: Session) -> None:
    outcome = full.outcome("add_contact", email="x@inbox.example")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "name" in outcome.error
    assert_unchanged(full)


# -- update_contact -------------------------------------------------------------------------


def test_update_contact_changes_only_the_given_fields(full: Session) -> None:
    greg = contact_id(full, "Greg Holloway")
    assert (
        full("update_contact", greg, email="greg@holloway.example", phone="+1 503 555 0199") is None
    )
    diff = full.transaction.diff()
    assert set(diff.tables) == {"contacts"}
    contacts = diff.tables["contacts"]
    assert contacts.added == []
    assert contacts.removed == []
    (change,) = contacts.changed
    assert change.key == {"id": greg}
    assert {name: (f.before, f.after) for name, f in change.fields.items()} == {
        "email": ("greg@hollowayproperties.example", "greg@holloway.example"),
        "phone": ("+1 503 555 0153", "+1 503 555 0199"),
    }
    assert full("find_contact_email", greg) == "greg@holloway.example"


def test_update_contact_address_and_notes(full: Session) -> None:
    ivy = contact_id(full, "Ivy Chen")
    full("update_contact", ivy, address="1634 SE Clinton St, Portland", notes="Book club host")
    (change,) = full.transaction.diff().tables["contacts"].changed
    assert set(change.fields) == {"address", "notes"}
    assert change.fields["address"].before is None
    assert change.fields["address"].after == "1634 SE Clinton St, Portland"
    assert change.fields["notes"].after == "Book club host"


@pytest.mark.parametrize(
    ("contact", "kwargs", "words"),
    [
        (9999, {"email": "x@inbox.example"}, ["no contact with id 9999", "find_contact_id"]),
        (29, {}, ["at least one of", "email", "phone", "address", "notes"]),
        (29, {"email": "greg"}, ["'greg'", "not an e-mail address"]),
        # a bad e-mail spoils the whole update: the phone is not changed either
        (29, {"email": "greg", "phone": "+1 503 555 0100"}, ["not an e-mail address"]),
    ],
)
def test_update_contact_refuses_bad_input_and_changes_nothing(
    full: Session, contact: int, kwargs: dict[str, Any], words: list[str]
) -> None:
    assert name_of(full, 29) == "Greg Holloway"
    message = full.error("update_contact", contact, **kwargs)
    for word in words:
        assert word in message
    assert_unchanged(full)


# -- delete_contact -------------------------------------------------------------------------


def test_delete_contact_removes_exactly_that_row(full: Session) -> None:
    greg = contact_id(full, "Greg Holloway")
    before = full("get_contact", greg)
    assert full("delete_contact", greg) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"contacts"}
    assert diff.tables["contacts"].removed == [before]
    assert diff.tables["contacts"].added == []
    assert diff.tables["contacts"].changed == []
    assert "no contact with id" in full.error("get_contact", greg)
    assert full("find_contact_id", "landlord") is None
    assert full("find_contact_id", "Holloway") == contact_id(full, "Dave Holloway")


def test_delete_contact_of_an_unknown_id_changes_nothing(full: Session) -> None:
    message = full.error("delete_contact", 9999)
    assert "no contact with id 9999" in message
    assert "find_contacts" in message
    assert_unchanged(full)


def test_deleting_twice_fails_the_second_time(full: Session) -> None:
    sam = contact_id(full, "Sam Patel")
    full("delete_contact", sam)
    assert "no contact with id" in full.error("delete_contact", sam)
    assert full.transaction.diff().summary() == {
        "contacts": {"added": 0, "removed": 1, "changed": 0}
    }
    (removed,) = full.transaction.diff().tables["contacts"].removed
    assert removed["name"] == "Sam Patel"
    assert name_of(full, contact_id(full, "Samantha Patel")) == "Samantha Patel"


# -- read functions never change the device ----------------------------------------------


@pytest.mark.parametrize(
    ("function", "args"),
    [
        ("find_contact_id", ("landlord",)),
        ("find_contacts", ("Smith",)),
        ("find_contact_email", (26,)),
        ("find_contact_phone", (26,)),
        ("get_contact", (26,)),
    ],
)
def test_read_functions_leave_the_device_unchanged(
    full: Session, function: str, args: tuple[Any, ...]
) -> None:
    outcome = full.outcome(function, *args)
    assert outcome.ok, outcome.error
    assert outcome.effect == "read"
    assert_unchanged(full)


@pytest.mark.parametrize("function", ["add_contact", "update_contact", "delete_contact"])
def test_changing_functions_are_writes(full: Session, function: str) -> None:
    assert full.registry.table("full")[function].effect == "write"


# -- look-ups that find nothing, or several ---------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    ["no-reply@secure-docs.example", "greg@holloway.example", "+1 555 000 0000", "astronaut"],
)
def test_find_contact_id_finds_nothing(full: Session, expression: str) -> None:
    assert full("find_contact_id", expression) is None
    assert full("find_contacts", expression) == []


def test_an_address_or_number_is_matched_exactly(full: Session) -> None:
    (found,) = full("find_contacts", "GREG@hollowayproperties.example")
    assert found["name"] == "Greg Holloway"
    (found,) = full("find_contacts", "(503) 555-0153")
    assert found["name"] == "Greg Holloway"


@pytest.mark.parametrize("expression", ["neighbour", "neighbor", "neighbours", "my neighbor"])
def test_spelling_variants_find_the_same_contacts(full: Session, expression: str) -> None:
    names = [c["name"] for c in full("find_contacts", expression)]
    assert names == ["John Smith", "Hannah Okafor", "Walt Brennan"]


RIVALS = {
    "insurance": ["Harbor Mutual Insurance", "Pinecrest Health Insurance", "Brent Castillo"],
    "neighbor": ["John Smith", "Hannah Okafor", "Walt Brennan"],
}


@pytest.mark.parametrize(
    ("expression", "answer", "chosen"),
    [
        ("neighbor", "Hannah, next door", "Hannah Okafor"),
        ("neighbor", "the third one", "Walt Brennan"),
        ("insurance", "2", "Pinecrest Health Insurance"),
        ("insurance", "Harbor Mutual", "Harbor Mutual Insurance"),
    ],
)
def test_equal_rivals_are_put_to_the_person(
    full: Session, expression: str, answer: str, chosen: str
) -> None:
    answer_questions(full, answer)
    contact_id = full("find_contact_id", expression)
    assert full("get_contact", contact_id)["name"] == chosen
    [asked] = full.rows("SELECT question, answer FROM questions")
    assert asked["answer"] == answer
    assert asked["question"].startswith(f"Which contact do you mean by {expression!r}? 1) ")
    assert all(name in asked["question"] for name in RIVALS[expression])
    assert [c["name"] for c in full("find_contacts", expression)] == RIVALS[expression]


@pytest.mark.parametrize(
    ("expression", "rivals", "answer", "chosen"),
    [
        ("Sam", ["Sam Patel", "Samantha Patel"], "Samantha, my climbing friend", "Samantha Patel"),
        ("John", ["John Smith", "Johnny Smithers"], "John, next door", "John Smith"),
        ("John's number", ["John Smith", "Johnny Smithers"], "Johnny", "Johnny Smithers"),
    ],
)
def test_a_lone_first_name_may_be_short_for_a_longer_one(
    full: Session, expression: str, rivals: list[str], answer: str, chosen: str
) -> None:
    answer_questions(full, answer)
    assert name_of(full, full("find_contact_id", expression)) == chosen
    [asked] = full.rows("SELECT question FROM questions")
    assert all(name in asked["question"] for name in rivals)


@pytest.mark.parametrize(
    ("expression", "found"),
    [("Sam Patel", "Sam Patel"), ("Samantha", "Samantha Patel"), ("Johnny", "Johnny Smithers")],
)
def test_a_full_or_longer_name_is_not_asked_about(
    full: Session, expression: str, found: str
) -> None:
    assert name_of(full, full("find_contact_id", expression)) == found
    assert full.rows("SELECT * FROM questions") == []


@pytest.mark.parametrize("answer", ["I don't know.", "Greg", "John or Hannah"])
def test_an_answer_naming_no_one_rival_leaves_the_look_up_failing(
    full: Session, answer: str
) -> None:
    answer_questions(full, answer)
    message = full.error("find_contact_id", "neighbor")
    assert message.startswith("3 contacts match 'neighbor' equally well and the answer to ")
    assert f"was {answer!r}, which names none of them" in message
    assert all(name in message for name in RIVALS["neighbor"])


def test_the_worlds_answer_picks_the_car_insurer(full: Session) -> None:
    """The default world's person answers "which contact" with their car insurer."""
    assert full("get_contact", full("find_contact_id", "insurance"))["company"] == (
        "Harbor Mutual Insurance"
    )


@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_the_papers_find_contact_id_returns_the_first_of_equal_rivals(
    session_for: Any, profile: str
) -> None:
    session = session_for(profile)
    assert name_of(session, session("find_contact_id", "insurance")) == "Harbor Mutual Insurance"
    assert session("find_contact_id", "no-reply@secure-docs.example") is None
