from __future__ import annotations

from tests.conftest import Session


def test_full_session_calls_the_api(full: Session) -> None:
    assert full("find_contact_id", "landlord") is not None
    assert "not a function" in full.error("no_such_function")
