"""What a report says, independent of its format: sections of text, tables and figures.

The Markdown and HTML renderers (:mod:`intentos.bench.report.render`) turn the same
:class:`Report` into both files, so they cannot say different things.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """A paragraph; `backticks` mark code."""

    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]
    caption: str = ""
    reference_rows: frozenset[int] = frozenset()  # rows quoted from elsewhere, not measured


@dataclass(frozen=True)
class Figure:
    """A PNG plot, written beside the Markdown and embedded in the HTML."""

    filename: str
    title: str
    png: bytes
    caption: str = ""


Block = Text | Table | Figure


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 2


@dataclass(frozen=True)
class Report:
    title: str
    intro: list[Text]
    sections: list[Section]

    @property
    def figures(self) -> list[Figure]:
        return [
            block
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Figure)
        ]
