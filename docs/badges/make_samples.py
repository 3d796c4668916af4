"""Regenerate the sample badge pictures in docs/badges/ (needs pdftoppm from poppler-utils).

.venv/bin/python docs/badges/make_samples.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from checkin.badges.data import BadgeData  # noqa: E402
from checkin.badges.render import render_badges  # noqa: E402
from checkin.badges.templates import load_templates  # noqa: E402

EVENT = "Stockholm Founders Mixer · May 2025"
VCARD = (
    "BEGIN:VCARD\nVERSION:3.0\nN:Lindqvist;Anna;;;\nFN:Anna Lindqvist\n"
    "ORG:Nordlys Analytics AB\nTITLE:Head of Data Platform\n"
    "EMAIL:anna@nordlys.example\nTEL:+46 70 123 45 67\nEND:VCARD"
)

TRICKY = [
    ("Zoë", "Zoë Ångström", "Ångström & Søn", "Designer"),
    ("Ελένη", "Ελένη Παπαδοπούλου", "Αθηναϊκή Τεχνολογία", "Μηχανικός"),
    ("Дмитрий", "Дмитрий Иванов", "Северный Ветер", "Аналитик"),
    ("小明", "王小明", "北京云科技", "工程师"),
    ("花子", "佐藤 花子", "株式会社サンプル", "デザイナー"),
    ("민수", "김민수", "한빛 소프트", "개발자"),
    ("فاطمة", "فاطمة الزهراء", "شركة النور", "مديرة مشاريع"),
    ("שרה", "שרה כהן", "אור טכנולוגיות", "מנהלת מוצר"),
    ("अनिल", "अनिल कुमार", "भारत सॉफ़्टवेयर", "इंजीनियर"),
    ("Sam 🚀", "Sam Rocket 🚀", "Launchpad 🚀 Labs", "Founder"),
    (
        "Bartholomew Maximilian",
        "Bartholomew Maximilian Alexander Featherstonehaugh-Whittaker",
        "International Association of Very Long Company Names Ltd",
        "Senior Vice President, Strategic Partnerships & Ecosystems",
    ),
    # Right to left with Latin and digits inside, and Latin with Arabic inside.
    ("محمد", "محمد علي", "مجموعة Acme للتقنية", "مهندس برمجيات ٢٠٢٤"),
    ("Sarah", "Sarah (سارة) Smith", "فاطمة الزهراء (Acme Ltd)", "Head of MENA, Dubai 2025"),
]


def sample_logo(path: Path) -> None:
    img = Image.new("RGBA", (240, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, 116, 116), fill=(255, 199, 44, 255))
    draw.rectangle((130, 30, 236, 52), fill=(20, 50, 92, 255))
    draw.rectangle((130, 68, 210, 90), fill=(20, 50, 92, 255))
    img.save(path)


def anna(logo: Path, *, first_time: bool = True) -> BadgeData:
    return BadgeData(
        first_name="Anna",
        full_name="Anna Lindqvist",
        company="Nordlys Analytics AB",
        job_title="Head of Data Platform",
        event_name=EVENT,
        first_time=first_time,
        host_name="Marcus Berg" if first_time else None,
        vcard=VCARD,
        logo_path=str(logo),
    )


def regular(i: int) -> BadgeData:
    people = [
        ("Marcus", "Marcus Berg", "Berg & Partners", "Managing Partner"),
        ("Li", "Li Wei", "Harbour Labs", "CTO"),
        ("Olivia", "Olivia Martínez", "Fjord Ventures", "Investor"),
        ("Jonas", "Jonas Ek", None, None),
        ("Priya", "Priya Natarajan", "Northwind Health", "Product Lead"),
    ]
    first, full, company, title = people[i % len(people)]
    return BadgeData(first, full, company, title, EVENT, first_time=(i == 2), host_name=None)


def to_png(pdf: Path, stem: Path, dpi: int) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(stem)], check=True)


def main() -> None:
    templates = load_templates()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        logo = work / "logo.png"
        sample_logo(logo)
        for name, template in templates.items():
            pdf = work / f"{name}.pdf"
            if template.sheet:
                badges = [anna(logo)] + [regular(i) for i in range(template.per_page - 1)]
            else:
                badges = [anna(logo)]
            render_badges(badges, template, pdf)
            to_png(pdf, HERE / name, 80 if not template.sheet else 60)
        tricky = [
            BadgeData(
                f,
                n,
                c,
                t,
                "Welcome Desk · names test",
                first_time=(i % 3 == 0),
                host_name="Ελένη" if i % 3 == 0 else None,
                vcard=None,
            )
            for i, (f, n, c, t) in enumerate(TRICKY)
        ]
        pdf = work / "tricky.pdf"
        report = render_badges(tricky, templates["avery-l7418"], pdf)
        to_png(pdf, HERE / "tricky-names-l7418", 70)
        for warning in report.warnings:
            print("warning:", warning)


if __name__ == "__main__":
    main()
