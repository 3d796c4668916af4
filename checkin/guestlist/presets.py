"""Which column holds what: presets for real ticketing exports, plus a tolerant synonym table.

Header names come from the tools' real exports (see the module docstring of ``reading.py`` for
where each was checked). Matching is done on a *normalised* header: accents dropped, case
folded, every run of punctuation/space turned into one space, so "Barcode #" -> "barcode",
"E-Mail" -> "e mail", "Attendee name: Given name" -> "attendee name given name",
"Prénom" -> "prenom".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checkin.guestlist.rows import ImportProblem

# Our field names a mapping may target, in the order a mapping UI should list them.
FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "name",
    "email",
    "company",
    "job_title",
    "ticket_code",
    "ticket_type",
    "external_id",
    "status",
    "first_time",
    "is_host",
    "host_capacity",
    "interests",
    "languages",
    "profession",
    "phone",
)
NAME_FIELDS = ("first_name", "last_name", "name")
LIST_FIELDS = ("interests", "languages")

_NON_WORD = re.compile(r"[\W_]+")
# pretix writes one column per option of a multiple-choice question: "Question – Option".
_OPTION_SEP = " – "


def norm(header: str) -> str:
    """The comparable form of a header (see module docstring)."""
    decomposed = unicodedata.normalize("NFKD", header.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", plain).strip()


# --- what each tool calls its columns ----------------------------------------------------------


def _pretix_adjust(values: dict[str, str]) -> None:
    # pretix itself refers to a ticket as "<order code>-<position id>" (e.g. "Z3KQP-1").
    order, position = values.get("_order_code", ""), values.get("_position", "")
    if order and not values.get("external_id"):
        values["external_id"] = f"{order}-{position}" if position else order
    variation = values.get("_variation", "")
    if variation and values.get("ticket_type"):
        values["ticket_type"] = f"{values['ticket_type']} – {variation}"


@dataclass(frozen=True)
class Preset:
    name: str
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> candidates
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # tried when empty
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)  # helper columns
    adjust: Callable[[dict[str, str]], None] | None = None
    # Headers the synonym table must leave alone because they mean something else here.
    ignore: frozenset[str] = frozenset()


EVENTBRITE = Preset(
    name="eventbrite",
    columns={
        "first_name": ("first name",),
        "last_name": ("last name", "surname"),
        "email": ("email", "email address"),
        "ticket_code": ("barcode", "barcode number"),
        "ticket_type": ("ticket type",),
        "external_id": ("attendee", "attendee id", "attendee number"),
        "status": ("attendee status",),
        "company": ("company",),
        "job_title": ("job title",),
        "phone": ("cell phone", "work phone", "home phone", "phone"),
    },
    fallbacks={"email": ("buyer email",)},
    ignore=frozenset({"order", "order type", "group", "price tier", "event name", "event id"}),
)

MEETUP = Preset(
    name="meetup",
    columns={
        "name": ("name",),
        "external_id": ("user id", "member id"),
        "status": ("rsvp", "response"),
    },
    # "Title" is the member's role in the group (Organizer, Co-Organizer...), not a job title;
    # "Event Host" marks the event's organisers, not newcomer hosts (map it by hand if wanted).
    ignore=frozenset(
        {
            "title",
            "event host",
            "guests",
            "attendance",
            "url of member profile",
            "rsvped on",
            "joined group on",
            "last attended",
            "notes",
        }
    ),
)

PRETIX = Preset(
    name="pretix",
    columns={
        "first_name": ("attendee name given name", "attendee name first name"),
        "last_name": ("attendee name family name", "attendee name last name"),
        "name": ("attendee name",),
        "email": ("attendee email",),
        "ticket_code": ("ticket secret", "secret"),
        "ticket_type": ("product",),
        "status": ("status",),
        "company": ("company",),
        "phone": ("phone number",),
    },
    # Events that do not ask for attendee details leave those cells empty: use the order's.
    fallbacks={"email": ("email",), "name": ("invoice address name",)},
    extras={
        "_order_code": ("order code",),
        "_position": ("position id",),
        "_variation": ("variation",),
    },
    adjust=_pretix_adjust,
    ignore=frozenset({"event slug", "voucher", "pseudonymization id", "invoice address name"}),
)

GENERIC = Preset(name="generic")

PRESETS: dict[str, Preset] = {p.name: p for p in (EVENTBRITE, MEETUP, PRETIX, GENERIC)}


def detect_format(headers: Sequence[str]) -> str:
    """Which tool made this header: "eventbrite", "meetup", "pretix" or "generic"."""
    have = {norm(h) for h in headers}
    # Each test needs columns only that tool writes together, so extra columns never matter.
    if {"order code", "position id"} <= have and have & {"attendee name", "product"}:
        return "pretix"
    if {"order", "attendee status"} <= have:  # "Order #", "Attendee Status"
        return "eventbrite"
    if {"name", "user id"} <= have and have & {
        "rsvp",
        "response",
        "rsvped on",
        "joined group on",
        "url of member profile",
    }:
        return "meetup"
    return "generic"


# --- common synonyms, for generic files and for custom questions in any export --------------

# fmt: off
SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": (
        "first name", "firstname", "given name", "forename", "fname", "first",
        "vorname", "prenom", "nombre", "voornaam", "nome",
    ),
    "last_name": (
        "last name", "lastname", "surname", "family name", "lname", "last",
        "nachname", "familienname", "nom", "nom de famille", "apellido", "apellidos",
        "achternaam", "cognome",
    ),
    "name": (
        "name", "full name", "fullname", "attendee name", "guest name", "participant name",
        "participant", "guest", "display name", "vollstandiger name", "teilnehmer",
        "teilnehmername", "nom complet", "nombre completo",
    ),
    "email": (
        "email", "e mail", "email address", "e mail address", "mail", "attendee email",
        "e mail adresse", "emailadresse", "adresse e mail", "adresse email", "courriel",
        "correo", "correo electronico",
    ),
    "company": (
        "company", "company name", "organisation", "organization", "org", "employer",
        "firma", "unternehmen", "entreprise", "societe", "empresa",
    ),
    "job_title": (
        "job title", "jobtitle", "job", "position", "role", "funktion", "jobtitel",
        "berufsbezeichnung", "poste", "fonction", "cargo",
    ),
    "ticket_code": (
        "ticket", "ticket code", "ticket number", "ticket id", "ticket no", "code", "barcode",
        "qr", "qr code", "ticket secret", "secret", "ticketnummer", "ticketcode", "billet",
        "numero de billet",
    ),
    "ticket_type": (
        "ticket type", "ticket category", "ticket class", "type", "category", "product",
        "tickettyp", "ticketart", "kategorie", "type de billet",
    ),
    # Not a bare "ID": in home-made lists that is a row number, and the importer treats an
    # external id as a person's identity across events.
    "external_id": (
        "external id", "member id", "user id", "attendee id", "registration id",
        "guest id", "participant id",
    ),
    "status": (
        "status", "attendee status", "registration status", "rsvp", "response", "state",
        "attending",
    ),
    "first_time": (
        "first time", "first timer", "first visit", "newcomer", "new", "new member",
        "erstes mal", "neu", "premiere fois", "nouveau",
    ),
    "is_host": (
        "host", "is host", "welcome host", "volunteer host", "gastgeber", "hote", "buddy",
        "mentor",
    ),
    "host_capacity": (
        "host capacity", "capacity", "max newcomers", "kapazitat", "capacite",
    ),
    "interests": (
        "interests", "interest", "topics", "topic", "tags", "interessen", "themen", "interets",
        "centres d interet", "intereses",
    ),
    "languages": (
        "languages", "language", "spoken languages", "sprachen", "sprache", "langues", "langue",
        "idiomas",
    ),
    "profession": ("profession", "occupation", "beruf", "metier", "profesion"),
    "phone": (
        "phone", "phone number", "mobile", "mobile phone", "cell phone", "telephone", "tel",
        "telefon", "handy", "telefono",
    ),
}
# fmt: on


_COMPANY_WORDS = (
    "company", "organisation", "organization", "employer", "firma", "unternehmen",
    "entreprise", "societe", "empresa",
)  # fmt: skip


def _has(tokens: set[str], *words: str) -> bool:
    return any(w in tokens for w in words)


# Custom questions are written as sentences ("Is this your first time?", "Which topics interest
# you?"), so these fields also match on words. Order matters: capacity before host.
_KEYWORD_RULES: tuple[tuple[str, Callable[[str, set[str]], bool]], ...] = (
    (
        "host_capacity",
        lambda n, t: "host" in t and (_has(t, "capacity", "max", "maximum") or "how many" in n),
    ),
    ("is_host", lambda n, t: _has(t, "host", "gastgeber", "mentor", "buddy")),
    (
        "first_time",
        # "Is this your first time?", "Your first Founders & Coffee?", "Erstes Mal dabei?"
        lambda n, t: (
            ("first" in t and "name" not in t)
            or any(p in n for p in ("erstes mal", "premiere fois", "new here"))
            or _has(t, "newcomer", "firsttimer")
        ),
    ),
    (
        "interests",
        lambda n, t: (
            any(w.startswith("interest") for w in t)
            or _has(t, "topics", "topic", "interessen", "themen", "interets")
        ),
    ),
    (
        "languages",
        lambda n, t: (
            any(w.startswith("language") for w in t)
            or _has(t, "sprachen", "sprache", "langues", "langue", "idiomas")
        ),
    ),
    ("profession", lambda n, t: _has(t, "profession", "occupation", "beruf", "metier")),
    ("company", lambda n, t: _has(t, *_COMPANY_WORDS)),
    ("job_title", lambda n, t: "job title" in n or _has(t, "jobtitle", "job", "funktion")),
    ("phone", lambda n, t: _has(t, "phone", "mobile", "telephone", "telefon", "handy", "cell")),
)


# --- resolving a header into column positions ---------------------------------------------------


@dataclass
class Columns:
    """Where each field is read from, for one file."""

    index: dict[str, int] = field(default_factory=dict)  # field -> column
    fallback: dict[str, list[int]] = field(default_factory=dict)  # read when index cell empty
    extras: dict[str, int] = field(default_factory=dict)  # helper columns for Preset.adjust
    options: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # option columns
    problems: list[ImportProblem] = field(default_factory=list)

    def mapping(self, headers: Sequence[str]) -> dict[str, str]:
        return {f: headers[self.index[f]] for f in FIELDS if f in self.index}


def resolve(
    headers: Sequence[str], preset: Preset, explicit: dict[str, str] | None = None
) -> Columns:
    """Columns for each field: the preset's, then synonyms, then the explicit mapping on top."""
    norms = [norm(h) for h in headers]
    first_at: dict[str, int] = {}
    for i, n in enumerate(norms):
        if n:
            first_at.setdefault(n, i)  # duplicated headers (pretix's two "Company"): first wins
    cols = Columns()
    claimed: set[int] = set()

    def pick(candidates: tuple[str, ...]) -> int | None:
        for c in candidates:
            i = first_at.get(c)
            if i is not None and i not in claimed and c not in preset.ignore:
                return i
        return None

    for f, candidates in preset.columns.items():
        i = pick(candidates)
        if i is not None:
            cols.index[f] = i
            claimed.add(i)
    for key, candidates in preset.extras.items():
        i = pick(candidates)
        if i is not None:
            cols.extras[key] = i
            claimed.add(i)
    for f in FIELDS:
        if f not in cols.index:
            i = pick(SYNONYMS[f])
            if i is not None:
                cols.index[f] = i
                claimed.add(i)
    for f, rule in _KEYWORD_RULES:
        if f in cols.index:
            continue
        for i, n in enumerate(norms):
            if n and i not in claimed and n not in preset.ignore and rule(n, set(n.split())):
                cols.index[f] = i
                claimed.add(i)
                break
    for f, candidates in preset.fallbacks.items():
        extra = [first_at[c] for c in candidates if c in first_at]
        extra = [i for i in extra if i != cols.index.get(f)]
        if extra:
            cols.fallback[f] = extra
    for f in LIST_FIELDS:
        if f in cols.index:
            _option_columns(headers, cols, f)

    if explicit:
        _apply_explicit(headers, norms, explicit, cols)
    return cols


def _option_columns(headers: Sequence[str], cols: Columns, f: str) -> None:
    # "Which topics interest you? – AI", "... – Design": one yes/no column per option.
    head, sep, _ = headers[cols.index[f]].partition(_OPTION_SEP)
    if not sep:
        return
    prefix = head + _OPTION_SEP
    group = [(i, h[len(prefix) :].strip()) for i, h in enumerate(headers) if h.startswith(prefix)]
    if len(group) > 1:
        cols.options[f] = group


def _apply_explicit(
    headers: Sequence[str], norms: list[str], explicit: dict[str, str], cols: Columns
) -> None:
    chosen_names = {f for f, h in explicit.items() if f in NAME_FIELDS and h}
    if "name" in chosen_names and not chosen_names & {"first_name", "last_name"}:
        # The organiser picked a full-name column: don't let guessed first/last win over it.
        for f in ("first_name", "last_name"):
            cols.index.pop(f, None)
            cols.fallback.pop(f, None)
    for f, header in explicit.items():
        if f not in FIELDS:
            cols.problems.append(
                ImportProblem(
                    None,
                    None,
                    f"the column mapping names '{f}', which is not something a guest list can "
                    f"fill; use one of: {', '.join(FIELDS)}",
                )
            )
            continue
        cols.fallback.pop(f, None)
        cols.options.pop(f, None)
        if not header:  # an empty choice means "don't read this field"
            cols.index.pop(f, None)
            continue
        i = _find_header(headers, norms, header)
        if i is None:
            cols.index.pop(f, None)
            cols.problems.append(
                ImportProblem(
                    None,
                    None,
                    f"the column mapping reads {f.replace('_', ' ')} from a column '{header}', "
                    f"but the file has no such column (it has: {describe_headers(headers)})",
                )
            )
        else:
            cols.index[f] = i


def _find_header(headers: Sequence[str], norms: list[str], wanted: str) -> int | None:
    for i, h in enumerate(headers):
        if h == wanted:
            return i
    n = norm(wanted)
    for i, h in enumerate(norms):
        if h and h == n:
            return i
    return None


def describe_headers(headers: Sequence[str], limit: int = 12) -> str:
    shown = [f"'{h}'" for h in headers if h][:limit]
    more = sum(1 for h in headers if h) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
