"""Write a :class:`Report` as Markdown (PNG files beside it) and as one self-contained HTML page
(the same PNGs inlined as data URIs, styles inline, no scripts, nothing fetched)."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from intentos.bench.report.content import Block, Figure, Report, Section, Table, Text

MARKDOWN_NAME = "report.md"
HTML_NAME = "report.html"
_CODE = re.compile(r"`([^`]+)`")

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 0.25rem; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; }
th { background: #f3f3f3; }
tr.reference td { color: #666; font-style: italic; }
caption { caption-side: bottom; text-align: left; color: #666; font-size: 12px;
          padding-top: 0.25rem; }
figure { margin: 1rem 0; } img { max-width: 100%; }
figcaption { color: #666; font-size: 12px; }
code { background: #f3f3f3; padding: 0 0.2rem; border-radius: 3px; }
"""


def write_report(report: Report, out: Path) -> list[Path]:
    """Write report.md, report.html and the PNGs into ``out``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for figure in report.figures:
        path = out / figure.filename
        path.write_bytes(figure.png)
        written.append(path)
    for name, text in ((MARKDOWN_NAME, to_markdown(report)), (HTML_NAME, to_html(report))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# -- Markdown -----------------------------------------------------------------------------


def to_markdown(report: Report) -> str:
    parts = [f"# {report.title}", *(block.text for block in report.intro)]
    for section in report.sections:
        parts.append(f"{'#' * section.level} {section.title}")
        parts += [_markdown_block(block) for block in section.blocks]
    return "\n\n".join(parts) + "\n"


def _markdown_block(block: Block) -> str:
    if isinstance(block, Text):
        return block.text
    if isinstance(block, Figure):
        caption = f"\n\n*{block.caption}*" if block.caption else ""
        return f"![{block.title}]({block.filename}){caption}"
    lines = [_markdown_row(block.headers), _markdown_row(tuple("---" for _ in block.headers))]
    lines += [_markdown_row(row) for row in block.rows]
    if block.caption:
        lines.append(f"\n*{block.caption}*")
    return "\n".join(lines)


def _markdown_row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


# -- HTML ---------------------------------------------------------------------------------


def to_html(report: Report) -> str:
    body = [f"<h1>{html.escape(report.title)}</h1>"]
    body += [_html_block(block) for block in report.intro]
    for section in report.sections:
        body.append(_html_section(section))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_section(section: Section) -> str:
    level = min(6, section.level)
    head = f"<h{level}>{_inline(section.title)}</h{level}>"
    return "\n".join([head, *(_html_block(block) for block in section.blocks)])


def _html_block(block: Block) -> str:
    if isinstance(block, Text):
        return f"<p>{_inline(block.text)}</p>"
    if isinstance(block, Figure):
        data = base64.b64encode(block.png).decode("ascii")
        caption = f"<figcaption>{_inline(block.caption)}</figcaption>" if block.caption else ""
        return (
            f'<figure><img alt="{html.escape(block.title)}" '
            f'src="data:image/png;base64,{data}">{caption}</figure>'
        )
    return _html_table(block)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table.headers)
    rows = []
    for index, row in enumerate(table.rows):
        marked = ' class="reference"' if index in table.reference_rows else ""
        cells = "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
        rows.append(f"<tr{marked}>{cells}</tr>")
    caption = f"<caption>{_inline(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _inline(text: str) -> str:
    """Escape ``text``; `backticks` become <code>."""
    return _CODE.sub(lambda match: f"<code>{match.group(1)}</code>", html.escape(text))
