"""Commands for badges: `checkin badges` (a batch to PDF) and `checkin templates`.

A PDF file is not a print: writing one logs nothing, because nobody knows whether it will
ever reach a printer. Only `--printer NAME`, which hands the file to the print system (CUPS's
`lp`), records a ``batch`` print for each guest, so the door does not auto-print them again.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from checkin.cli.output import emit_json

T = TypeVar("T")
_DROPPED = re.compile(r"^badge (\d+): (.+?): dropped (.+)$")
_NUMBERED = re.compile(r"^badge (\d+): (.+)$")
DEFAULT_TEMPLATE = "avery-5392"
LP_TIMEOUT_S = 60


def register(sub, parents) -> None:
    j, e = parents["json"], parents["event"]

    p = sub.add_parser(
        "badges",
        help="badges for the guests as one printable PDF",
        description="Badges sorted by last name: every guest not cancelled, or only --code. "
        "Writing the PDF logs nothing; --printer also sends it to a printer and logs a "
        "batch print, so the door will not auto-print those guests again.",
        parents=[j, e],
    )
    p.add_argument("--out", required=True, help="the PDF file to write")
    p.add_argument(
        "--template",
        default=DEFAULT_TEMPLATE,
        help=f"badge stock: a name from `checkin templates` or a .json file "
        f"(default: {DEFAULT_TEMPLATE})",
    )
    p.add_argument("--code", action="append", help="only this guest (repeatable)")
    p.add_argument(
        "--start-position",
        type=int,
        default=1,
        metavar="N",
        help="first badge at position N of the first sheet (to use up a half-used sheet)",
    )
    p.add_argument("--only-checked-in", action="store_true", help="only guests who came")
    p.add_argument("--printer", help="also send the PDF to this printer (CUPS queue name)")
    p.set_defaults(handler=run_badges)

    p = sub.add_parser("templates", help="list the badge stock templates", parents=[j])
    p.set_defaults(handler=run_templates)


def _db(args: argparse.Namespace):
    from checkin.store.db import open_database

    return open_database(args.database)


def _template(name: str):
    from checkin.badges.templates import TemplateError, get_template, load_template_file
    from checkin.errors import InvalidInput

    try:
        return load_template_file(name) if name.endswith(".json") else get_template(name)
    except TemplateError as exc:
        raise InvalidInput(str(exc)) from exc


def _write_atomically(path: Path, write: Callable[[str], T]) -> T:
    """Render into a temporary file beside ``path`` and rename: never a half-written PDF."""
    from checkin.files import whole_file

    with whole_file(path) as tmp:
        return write(str(tmp))


# Sheets of these sizes go out under their names, which every printer knows.
_NAMED_MEDIA = {(612, 792): "Letter", (595, 842): "A4"}


def _media(page_size: tuple[float, float]) -> str:
    width, height = round(page_size[0]), round(page_size[1])
    # The page size travels with the job: otherwise CUPS lays the page on its default paper.
    return _NAMED_MEDIA.get((width, height), f"Custom.{width}x{height}")


def send_to_printer(path: Path, printer: str, title: str, page_size: tuple[float, float]) -> str:
    """Hand a PDF to CUPS; returns its job id ("Queue-42"). Raises CheckinError on failure."""
    from checkin.errors import CheckinError

    lp = shutil.which("lp")
    if lp is None:
        raise CheckinError(
            "Sending to a printer needs the print system's `lp` command (CUPS); "
            "open the PDF and print it instead."
        )
    cmd = [lp, "-d", printer, "-t", title, "-o", f"media={_media(page_size)}", str(path)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=LP_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise CheckinError(f"The print system did not answer within {LP_TIMEOUT_S} s.") from exc
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip() or f"lp exited with {done.returncode}"
        raise CheckinError(f"Printer {printer!r}: {message}")
    # "request id is Queue-42 (1 file(s))"
    words = done.stdout.split()
    return words[3] if len(words) > 3 and words[:3] == ["request", "id", "is"] else ""


def _printable(text: str) -> str:
    """A name as a terminal can show it: control and format characters as \\uXXXX."""
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )


def summarise_dropped(warnings: list[str], items: list) -> list[str]:
    """The render warnings as a person can read them: one line per guest whose badge left
    characters out (no bundled font has them) and a count, instead of a line per character,
    per field, per badge; a warning every badge shares (the logo) once, with its count; the
    other per-badge ones name the guest, not the badge's number."""
    others: dict[str, list[int]] = {}
    per_badge: dict[int, list[str]] = {}
    event: list[str] = []
    for warning in warnings:
        found = _DROPPED.match(warning)
        if found is None:
            numbered = _NUMBERED.match(warning)
            if numbered is None:
                others.setdefault(warning, [])
            else:
                others.setdefault(numbered[2], []).append(int(numbered[1]))
            continue
        number, field, what = int(found[1]), found[2], found[3]
        chars = event if field == "event name" else per_badge.setdefault(number, [])
        if what not in chars:
            chars.append(what)

    def who(number: int) -> str:
        item = items[number - 1]  # badges are numbered in the order they were given
        return f"{item.code} {_printable(item.badge.full_name)}".strip()

    lines = []
    if event:
        lines.append(f"event name: left out {', '.join(event)} (no bundled font has them)")
    lines += [f"{who(number)}: left out {', '.join(chars)}" for number, chars in per_badge.items()]
    if per_badge:
        guests = "1 guest" if len(per_badge) == 1 else f"{len(per_badge)} guests"
        lines.append(
            f"{guests} with characters no bundled font has: left out of their badges, "
            "the rest of each badge printed"
        )
    for message, numbers in others.items():
        if len(numbers) > 3:
            lines.append(f"{message} (on {len(numbers)} badges)")
        else:
            lines += [f"{who(n)}: {message}" for n in numbers] or [message]
    return lines


def run_badges(args: argparse.Namespace) -> int:
    from checkin.badges import printlog
    from checkin.badges.lookup import badges_for_event
    from checkin.badges.render import render_badges
    from checkin.errors import CheckinError, InvalidInput

    template = _template(args.template)
    if not 1 <= args.start_position <= template.per_page:
        raise InvalidInput(
            f"--start-position must be 1..{template.per_page} for {template.name}, "
            f"got {args.start_position}"
        )
    db = _db(args)
    # Asked-for codes are filtered here, so a guest left out is named in a warning.
    items = badges_for_event(
        db, args.event, codes=args.code, only_checked_in=args.only_checked_in and not args.code
    )
    warnings = [f"{i.code}: cancelled, no badge" for i in items if i.cancelled]
    items = [i for i in items if not i.cancelled]
    if args.only_checked_in and args.code:
        warnings += [f"{i.code}: not checked in, no badge" for i in items if not i.checked_in]
        items = [i for i in items if i.checked_in]
    if not items:
        raise InvalidInput("No guest matches: no badges were written.")
    out = Path(args.out)
    report = _write_atomically(
        out,
        lambda tmp: render_badges(
            (i.badge for i in items), template, tmp, start_position=args.start_position
        ),
    )
    warnings += summarise_dropped(report.warnings, items)
    printed = None
    if args.printer:
        ids = [i.registration_id for i in items]
        title = f"Badges ({len(items)}) {out.name}"
        try:
            job = send_to_printer(out, args.printer, title, template.page_size)
        except CheckinError as exc:
            printlog.record_prints(db, ids, "batch", args.printer, "failed", str(exc))
            raise
        printlog.record_prints(db, ids, "batch", args.printer, "sent", f"job {job}".strip())
        printed = {"printer": args.printer, "job": job}
    if args.json:
        emit_json(
            {
                "out": str(out),
                "template": template.name,
                "badges": report.badges,
                "pages": report.pages,
                "start_position": args.start_position,
                "codes": [i.code for i in items],
                "warnings": warnings,
                "printed": printed,
            }
        )
        return 0
    print(
        f"Wrote {report.badges} badges on {report.pages} page(s) ({template.name}) to {out}",
    )
    for warning in warnings:
        print(f"  ! {warning}", file=sys.stderr)
    if printed:
        print(f"Sent to printer {args.printer} (job {printed['job'] or '?'}); logged as printed")
    return 0


def _mm(points: float) -> float:
    return round(points * 25.4 / 72, 1)


def run_templates(args: argparse.Namespace) -> int:
    from checkin.badges.templates import TemplateError, load_templates
    from checkin.errors import InvalidInput

    try:
        templates = sorted(load_templates().values(), key=lambda t: t.name)
    except TemplateError as exc:
        raise InvalidInput(str(exc)) from exc
    if args.json:
        emit_json(
            {
                "templates": [
                    {
                        "name": t.name,
                        "description": t.description,
                        "page_size": {
                            "width_mm": _mm(t.page_width),
                            "height_mm": _mm(t.page_height),
                            "width_pt": round(t.page_width, 2),
                            "height_pt": round(t.page_height, 2),
                        },
                        "badge_size": {
                            "width_mm": _mm(t.badge_width),
                            "height_mm": _mm(t.badge_height),
                        },
                        "badges_per_page": t.per_page,
                        "columns": t.columns,
                        "rows": t.rows,
                        "sheet": t.sheet,
                    }
                    for t in templates
                ]
            }
        )
        return 0
    for t in templates:
        page = f"{_mm(t.page_width):g} x {_mm(t.page_height):g} mm"
        print(f"{t.name:<20} {page:<20} {t.per_page:>2} per page  {t.description}")
    return 0
