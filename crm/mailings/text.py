"""The simple formatted text staff write mailings in, to HTML and to plain text.

Paragraphs are separated by an empty line; a line starting with "## " is a heading, lines
starting with "- " make a list; **bold**, *italic* and [a link](https://...) inside a line.
Everything else is text: HTML typed into a mailing is shown as typed, never interpreted.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _inline_html(line: str) -> str:
    html = escape(line)
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def to_html(text: str) -> SafeString:
    parts = []
    for block in _blocks(text):
        if len(block) == 1 and block[0].startswith("## "):
            parts.append(f"<h2>{_inline_html(block[0][3:].strip())}</h2>")
        elif all(line.lstrip().startswith("- ") for line in block):
            items = "".join(f"<li>{_inline_html(line.lstrip()[2:])}</li>" for line in block)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{'<br>'.join(_inline_html(line) for line in block)}</p>")
    return mark_safe("\n".join(parts))  # noqa: S308  (every text was escaped above)


def to_plain(text: str) -> str:
    def inline(line: str) -> str:
        line = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", line)
        line = _BOLD.sub(r"\1", line)
        return _ITALIC.sub(r"\1", line)

    parts = []
    for block in _blocks(text):
        if len(block) == 1 and block[0].startswith("## "):
            heading = inline(block[0][3:].strip())
            parts.append(f"{heading}\n{'=' * len(heading)}")
        else:
            parts.append("\n".join(inline(line) for line in block))
    return "\n\n".join(parts)
