"""World seeds: the default world is rich enough, and malformed seeds are reported precisely."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from intentos.device.store import Device, available_seeds, load_seed
from intentos.device.world import World, load_world, parse_world
from intentos.errors import WorldError

TRANSFORMER = "https://en.wikipedia.org/wiki/Transformer_(deep_learning_architecture)"
CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"

MINIMAL = """\
name: tiny
owner: {name: Ann, email: ann@example.com, phone: "+1 555 0100", home: /home/ann}
clock: {start: "2026-01-01T09:00:00"}
"""


def test_default_world_meets_the_minimum_sizes(default_world: World) -> None:
    assert len(default_world.contacts) >= 30
    assert len([f for f in default_world.files if f.kind == "file"]) >= 60
    assert len([m for m in default_world.mail if m.folder == "inbox"]) >= 20
    assert len(default_world.events) >= 15
    assert len(default_world.songs) >= 25
    assert default_world.clock.start == "2026-03-16T08:30:00"


def test_default_world_has_the_people_the_intents_need(default_world: World) -> None:
    relations = {c.name: (c.relation or "").lower() for c in default_world.contacts}
    assert "car insurance" in relations["Harbor Mutual Insurance"]
    assert "insurance" in relations["Pinecrest Health Insurance"]
    assert "landlord" in relations["Greg Holloway"]
    assert any("doctor" in r or "physician" in r for r in relations.values())
    for look_alikes in (
        {"John Smith", "Jon Smith", "Johnny Smithers"},
        {"Katherine Lee", "Kathryn Leigh"},
        {"Sam Patel", "Samantha Patel"},
    ):
        assert look_alikes <= relations.keys()


def test_default_world_has_the_car_title_and_beat_it(default_world: World) -> None:
    title = next(f for f in default_world.files if f.path == CAR_TITLE)
    assert title.content and "4S4BSANC5K3301847" in title.content
    assert any(s.title == "Beat It" and s.artist == "Michael Jackson" for s in default_world.songs)


def test_default_world_has_a_long_transformer_article(default_world: World) -> None:
    page = next(p for p in default_world.pages if p.url == TRANSFORMER)
    assert page.content is not None
    words = re.sub(r"<[^>]+>", " ", page.content).split()
    assert len(words) >= 3000
    assert "attention" in page.content.lower()


def test_every_shipped_seed_builds_a_device(tmp_path: Path) -> None:
    assert "default" in available_seeds()
    for name in available_seeds():
        with Device.create(tmp_path / f"{name}.sqlite", load_seed(name)) as device:
            assert device.snapshot().counts()["clock"] == 1


def test_a_minimal_seed_is_enough() -> None:
    world = parse_world(MINIMAL)
    assert world.owner.home == "/home/ann"
    assert world.contacts == []


MALFORMED = [
    pytest.param("owner: [unclosed\n", "not valid YAML at line", id="yaml-syntax"),
    pytest.param("- just\n- a list\n", "must be a mapping", id="not-a-mapping"),
    pytest.param(
        "name: x\nclock: {start: '2026-01-01T09:00:00'}\n", "owner: Field required", id="no-owner"
    ),
    pytest.param(
        MINIMAL + "contacts:\n  - {name: Bob, email: bob-at-example}\n",
        "contacts[0] 'Bob'.email: 'bob-at-example' is not an e-mail address",
        id="bad-email",
    ),
    pytest.param(
        MINIMAL + "contacts:\n  - {name: Bob}\n  - {email: c@example.com}\n",
        "contacts[1].name: Field required",
        id="contact-without-name",
    ),
    pytest.param(
        MINIMAL.replace("2026-01-01T09:00:00", "next tuesday"),
        "clock.start: 'next tuesday' is not a time",
        id="bad-clock",
    ),
    pytest.param(
        MINIMAL + "files:\n  - {path: relative/file.txt, content: x}\n",
        "files[0] 'relative/file.txt'.path: 'relative/file.txt' is not an absolute path",
        id="relative-path",
    ),
    pytest.param(
        MINIMAL + "files:\n  - {path: /a.txt, content: x}\n  - {path: /a.txt, content: y}\n",
        "files[1] '/a.txt': listed twice",
        id="duplicate-file",
    ),
    pytest.param(
        MINIMAL
        + "mail:\n  - {from: a@example.com, to: [ann@example.com], subject: Hi, body: x,"
        + " date: '2026-01-01T08:00:00', attachments: [/missing.pdf]}\n",
        "mail[0] 'Hi': attachment '/missing.pdf' is not a file of this world",
        id="attachment-not-a-file",
    ),
    pytest.param(
        MINIMAL
        + "events:\n  - {title: Trip, start: '2026-01-02T10:00:00', end: '2026-01-02T09:00:00'}\n",
        "events[0] 'Trip': ends (2026-01-02T09:00:00) before it starts",
        id="event-ends-before-start",
    ),
    pytest.param(
        MINIMAL + "songs:\n  - {title: Song, artist: A, duration: 0, path: /m/s.mp3}\n",
        "songs[0] 'Song'.duration: Input should be greater than 0",
        id="zero-duration",
    ),
    pytest.param(
        MINIMAL + "contacts:\n  - {name: Bob, nickname: Bobby}\n",
        "contacts[0] 'Bob'.nickname: Extra inputs are not permitted",
        id="unknown-field",
    ),
    pytest.param(
        MINIMAL + "pages:\n  - {url: 'https://x.example', title: X}\n",
        "give exactly one of 'content' and 'content_file'",
        id="page-without-content",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MALFORMED)
def test_malformed_seeds_name_file_entry_and_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    seed = tmp_path / "broken.yaml"
    seed.write_text(text)
    with pytest.raises(WorldError) as caught:
        load_world(seed)
    message = str(caught.value)
    assert message.startswith(str(seed))
    assert expected in message


def test_missing_content_file_is_reported(tmp_path: Path) -> None:
    seed = tmp_path / "w.yaml"
    seed.write_text(
        MINIMAL + "pages:\n  - {url: 'https://x.example', title: X, content_file: nope.html}\n"
    )
    with pytest.raises(
        WorldError, match=r"pages\[0\] 'https://x.example': cannot read content_file"
    ):
        load_world(seed)


def test_content_file_cannot_escape_the_seed_folder(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("host secret")
    seed_dir = tmp_path / "worlds"
    seed_dir.mkdir()
    seed = seed_dir / "w.yaml"
    seed.write_text(
        MINIMAL + "pages:\n  - {url: 'https://x.example', title: X, content_file: ../secret.txt}\n"
    )
    with pytest.raises(WorldError, match="must stay inside"):
        load_world(seed)


def test_unreadable_seed_is_reported(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match="cannot read the world seed"):
        load_world(tmp_path / "absent.yaml")


def test_unknown_seed_name_lists_the_available_ones() -> None:
    with pytest.raises(WorldError, match=r"no world seed 'atlantis'.*available: default"):
        load_seed("atlantis")


def test_several_problems_are_all_listed(tmp_path: Path) -> None:
    seed = tmp_path / "w.yaml"
    seed.write_text(
        MINIMAL
        + textwrap.dedent(
            """\
            contacts:
              - {name: Bob, email: nope}
              - {name: Eve, email: also-nope}
            """
        )
    )
    with pytest.raises(WorldError) as caught:
        load_world(seed)
    assert "2 problem(s)" in str(caught.value)
    assert "'Bob'" in str(caught.value) and "'Eve'" in str(caught.value)
