"""A mail's words, as plain text and as HTML from the same blocks; every value escaped.

Nothing here reads the hub: the kinds (hub/mail/kinds.py) gather the facts and hand plain
values in, so what a mail says, and that it says nothing of anyone else, is read here."""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from hub.platform.formats import date_range, day, money  # noqa: F401 (content.money, ...)

SUBJECT_MAX = 400


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Rows:
    """Label and value pairs: an order's lines, a ticket's seat."""
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str          # built by the hub from its public address, never from input


@dataclass(frozen=True)
class Code:
    """A value to copy exactly: an access code, a receipt number."""
    label: str
    value: str


Block = Paragraph | Rows | Link | Code


def one_line(text: str) -> str:
    """Header text: no line breaks (they would start a header of their own)."""
    return " ".join(str(text).split())


def render(conference: str, subject: str, heading: str, blocks: list[Block],
           footer: str) -> Rendered:
    """The mail in both forms; the conference's name heads it."""
    subject = one_line(subject)[:SUBJECT_MAX]
    return Rendered(subject, _text(conference, heading, blocks, footer),
                    _html(conference, subject, heading, blocks, footer))


def _text(conference: str, heading: str, blocks: list[Block], footer: str) -> str:
    out = [conference, "", heading, ""]
    for block in blocks:
        match block:
            case Paragraph(text=text):
                out += [text, ""]
            case Rows(rows=rows):
                width = max(len(label) for label, _ in rows) if rows else 0
                out += [f"  {label.ljust(width)}  {value}" for label, value in rows] + [""]
            case Link(label=label, url=url):
                out += [f"{label}:", f"  {url}", ""]
            case Code(label=label, value=value):
                out += [f"{label}: {value}", ""]
    out += ["-- ", footer]
    return "\n".join(out) + "\n"


_e = html.escape      # quote=True: safe inside attribute values as well
_STYLE = {"body": "margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,"
                  "sans-serif;color:#1f2328;line-height:1.5",
          "card": "max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;"
                  "padding:24px",
          "muted": "color:#59636e;font-size:14px;margin:0 0 8px",
          "code": "font-family:Menlo,Consolas,monospace;font-size:20px;letter-spacing:2px;"
                  "background:#f4f5f7;padding:4px 8px;border-radius:4px",
          "button": "display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 16px;"
                    "border-radius:6px;text-decoration:none;font-weight:bold"}


def _html(conference: str, subject: str, heading: str, blocks: list[Block], footer: str) -> str:
    parts = [f'<p style="{_STYLE["muted"]}">{_e(conference)}</p>',
             f'<h1 style="font-size:22px;margin:0 0 16px">{_e(heading)}</h1>']
    for block in blocks:
        match block:
            case Paragraph(text=text):
                parts.append(f"<p>{_e(text)}</p>")
            case Rows(rows=rows):
                cells = "".join(f'<tr><th style="text-align:left;padding:4px 16px 4px 0;'
                                f'font-weight:normal;color:#59636e">{_e(label)}</th>'
                                f'<td style="padding:4px 0">{_e(value)}</td></tr>'
                                for label, value in rows)
                parts.append(f'<table role="presentation" style="border-collapse:collapse;'
                             f'margin:0 0 16px">{cells}</table>')
            case Link(label=label, url=url):
                parts.append(f'<p><a href="{_e(url)}" style="{_STYLE["button"]}">{_e(label)}'
                             f'</a></p><p style="{_STYLE["muted"]}">{_e(url)}</p>')
            case Code(label=label, value=value):
                parts.append(f'<p>{_e(label)}: <strong style="{_STYLE["code"]}">{_e(value)}'
                             f'</strong></p>')
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width"><title>{_e(subject)}</title>'
            f'</head><body style="{_STYLE["body"]}"><div style="{_STYLE["card"]}">'
            + "".join(parts)
            + f'<p style="{_STYLE["muted"]};margin-top:24px">{_e(footer)}</p>'
            '</div></body></html>\n')


def moment(iso: str) -> str:
    """A timestamp in UTC, to the minute: '4 May 2026, 09:00 UTC'."""
    try:
        t = dt.datetime.fromisoformat(iso).astimezone(dt.timezone.utc)
    except (TypeError, ValueError):
        return iso
    return f"{t.day} {t:%B %Y, %H:%M} UTC"
