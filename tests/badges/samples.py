"""Sample guests for the badge tests: every script, an emoji, a 60-character name."""

from __future__ import annotations

from checkin.badges.data import BadgeData

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ångström;Zoë;;;\r\nFN:Zoë Ångström\r\n"
    "ORG:Ångström & Søn\r\nTITLE:Designer\r\nEMAIL:zoe@example.org\r\n"
    "TEL:+46 70 123 45 67\r\nEND:VCARD"
)

LONG_NAME = "Bartholomew Maximilian Alexander Featherstonehaugh-Whittaker"

# (first name, full name): every script the desk has to print, a line mixing two directions,
# an emoji, a 60-character name.
TRICKY_NAMES = [
    ("Zoë", "Zoë Ångström"),
    ("Ελένη", "Ελένη Παπαδοπούλου"),
    ("Дмитрий", "Дмитрий Иванов"),
    ("小明", "王小明"),
    ("花子", "佐藤 花子"),
    ("민수", "김민수"),
    ("فاطمة", "فاطمة الزهراء"),
    ("שרה", "שרה כהן"),
    ("अनिल", "अनिल कुमार"),
    ("محمد", "محمد علي"),
    ("Sarah", "Sarah (سارة) Smith"),  # Latin and Arabic on one line
    ("Sam 🚀", "Sam 🚀"),
    ("Bartholomew Maximilian", LONG_NAME),
]


def guest(**overrides: object) -> BadgeData:
    values: dict[str, object] = dict(
        first_name="Anna",
        full_name="Anna Lindqvist",
        company="Nordlys Analytics AB",
        job_title="Head of Data Platform",
        event_name="Stockholm Founders Mixer",
    )
    values.update(overrides)
    return BadgeData(**values)  # type: ignore[arg-type]


def tricky_badges() -> list[BadgeData]:
    return [
        BadgeData(first, full, company="Test & Co", event_name="Names test")
        for first, full in TRICKY_NAMES
    ]
