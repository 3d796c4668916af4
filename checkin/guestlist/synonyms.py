"""Field names, the comparable form of a header, and the synonym table for any list.

Matching is done on a *normalised* header: accents dropped, case folded, every run of
punctuation/space turned into one space, so "Barcode #" -> "barcode", "E-Mail" -> "e mail",
"Attendee name: Given name" -> "attendee name given name", "Prénom" -> "prenom".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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
    "backup_host",
    "interests",
    "languages",
    "profession",
    "phone",
    "title",
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
    # A regular who would welcome a newcomer if the hosts run short (hosts once enlisted).
    "backup_host": (
        "backup host", "backup", "happy to welcome", "happy to welcome if needed",
        "happy to host if needed", "host if needed", "standby host", "reserve host",
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
    # Not a bare "Title": in most lists (and Meetup's) that is a job or a role.
    "title": ("name title", "prefix", "salutation", "honorific", "anrede", "civilite"),
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
    (
        "backup_host",
        # "Would you be happy to welcome a newcomer if needed?", "Backup host?"
        lambda n, t: (
            (
                _has(t, "host", "welcome", "hosting")
                and (_has(t, "backup", "standby", "reserve") or "if needed" in n)
            )
            or "happy to welcome" in n
        ),
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
