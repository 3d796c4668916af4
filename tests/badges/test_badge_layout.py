"""Layout geometry: long names shrink then wrap, and nothing leaves the badge."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin.badges.data import BadgeData
from checkin.badges.layout import Box, TextBox, layout_badge
from checkin.badges.render import render_badge_pdf
from checkin.badges.templates import BadgeTemplate, load_templates
from tests.badges.samples import LONG_NAME, VCARD, guest, tricky_badges

TEMPLATES = load_templates()
EPS = 0.01


def _variants() -> list[BadgeData]:
    out = []
    for badge in [*tricky_badges(), guest()]:
        out.append(badge)
        out.append(
            BadgeData(
                badge.first_name,
                badge.full_name,
                company="International Association of Very Long Company Names Ltd",
                job_title="Senior Vice President, Strategic Partnerships & Ecosystems",
                event_name="The Annual Nordic Founders, Investors & Friends Networking Evening",
                first_time=True,
                host_name="Κωνσταντίνος Αλεξανδρόπουλος-Παπαδημητρίου",
                vcard=VCARD,
                logo_path="logo.png",  # the layout only needs its aspect ratio
            )
        )
    return out


def _ink_rect(box: TextBox) -> tuple[float, float, float, float]:
    """Left, bottom, right, top of the glyph outlines actually drawn by this box."""
    size = box.fitted.size
    lefts, rights = [], []
    for i, line in enumerate(box.fitted.lines):
        pen = box.line_x(i)
        lefts.append(pen + line.left * size)
        rights.append(pen + (line.left + line.width) * size)
    baselines = box.baselines()
    top = baselines[0] + box.fitted.lines[0].ascent * size
    bottom = baselines[-1] - box.fitted.lines[-1].descent * size
    return min(lefts), bottom, max(rights), top


def _rect(item: Box | TextBox) -> tuple[float, float, float, float]:
    return (item.x, item.y, item.x + item.width, item.y + item.height)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return (
        inner[0] >= outer[0] - EPS
        and inner[1] >= outer[1] - EPS
        and inner[2] <= outer[2] + EPS
        and inner[3] <= outer[3] + EPS
    )


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] - EPS and b[0] < a[2] - EPS and a[1] < b[3] - EPS and b[1] < a[3] - EPS


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_nothing_leaves_the_safe_area_or_overlaps(name: str) -> None:
    t: BadgeTemplate = TEMPLATES[name]
    m = t.safe_margin
    safe = (m, m, t.badge_width - m, t.badge_height - m)
    for badge in _variants():
        layout = layout_badge(badge, t, logo_aspect=2.0 if badge.logo_path else None)
        assert bool(badge.logo_path) == any(i.role == "logo" for i in layout.images)
        for item in layout.all_boxes():
            assert _inside(_rect(item), safe), (name, badge.first_name, item.role)
        for box in layout.texts:
            ink = _ink_rect(box)
            assert _inside(ink, _rect(box)), (name, badge.first_name, box.role)
            for line in box.fitted.lines:
                assert line.width * box.fitted.size <= box.width + EPS
        # Body text, QR and bands never overlap (text in a band lies inside that band).
        solid = [b for b in layout.fills if b.role in ("header", "footer")]
        body = [b for b in layout.texts if b.role not in ("event", "first_time", "host")]
        for a, b in itertools.combinations([*body, *layout.images, *solid], 2):
            if {a.role, b.role} <= {"logo", "header"}:
                continue
            assert not _overlap(_rect(a), _rect(b)), (name, badge.first_name, a.role, b.role)


def _first(layout_texts: tuple[TextBox, ...]) -> TextBox:
    return next(b for b in layout_texts if b.role == "first_name")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_short_first_name_is_big_and_on_one_line(name: str) -> None:
    box = _first(layout_badge(guest(first_name="Anna"), TEMPLATES[name]).texts)
    assert len(box.fitted.lines) == 1
    assert box.fitted.size >= 28  # about 7 mm capitals: readable from 2 m


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_long_first_name_shrinks_then_wraps_at_a_word(name: str) -> None:
    t = TEMPLATES[name]
    short = _first(layout_badge(guest(first_name="Bartholomew"), t).texts)
    long = _first(layout_badge(guest(first_name="Bartholomew Maximilian"), t).texts)
    assert short.fitted.size <= _first(layout_badge(guest(first_name="Bo"), t).texts).fitted.size
    if len(long.fitted.lines) == 2:
        assert [line.text for line in long.fitted.lines] == ["Bartholomew", "Maximilian"]
    assert long.fitted.size >= 16


def test_a_sixty_character_name_without_spaces_shrinks_and_never_overflows() -> None:
    name = LONG_NAME.replace(" ", "")
    for t in TEMPLATES.values():
        box = _first(layout_badge(guest(first_name=name, full_name=name), t).texts)
        assert len(box.fitted.lines) == 1  # no word boundary: never cut mid-word
        assert box.fitted.lines[0].width * box.fitted.size <= box.width + EPS


def test_chinese_may_wrap_between_characters() -> None:
    t = TEMPLATES["brother-ql-62x100"]
    text = "欧阳王小明明明明明明明明"
    box = _first(layout_badge(guest(first_name=text, full_name=text), t).texts)
    assert len(box.fitted.lines) == 2
    assert "".join(line.text for line in box.fitted.lines) == text


def test_secondary_lines_are_left_off_rather_than_overflow() -> None:
    t = TEMPLATES["avery-l7418"]
    badge = _variants()[-1]
    layout = layout_badge(
        BadgeData(
            "Bartholomew Maximilian",
            LONG_NAME,
            badge.company,
            badge.job_title,
            badge.event_name,
            True,
            badge.host_name,
            VCARD,
        ),
        t,
    )
    shown = {b.role for b in layout.texts}
    assert {"first_name", "first_time", "host"} <= shown
    for role in {"full_name", "job_title", "company"} - shown:
        assert any(role.replace("_", " ") in w and "left off" in w for w in layout.warnings)


_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzÅÖÜéñçłßøæ ÆŒ-'."
    "αβγδεζηθλμνξπρστφχψωΑΒΓΔΕΖΗΘ абвгдежзийклмнопрстуфхцчшщъыьэюяЖЩ"
    "王小明佐藤花子山田太郎ひらがなカタカナー김민수박지성이영희"
    "فاطمةالزهراءمحمدعلي שרהכהןדוד अनिलकुमारशर्मा्ि "
    "0123456789()[]&,🚀👋🏽\u200d\u0301\u0308"
)


@given(
    first=st.text(alphabet=_ALPHABETS, min_size=1, max_size=30),
    full=st.text(alphabet=_ALPHABETS, max_size=70),
    company=st.text(alphabet=_ALPHABETS, max_size=70),
    first_time=st.booleans(),
    vcard=st.booleans(),
    template=st.sampled_from(sorted(TEMPLATES)),
)
@settings(max_examples=80, deadline=None)
def test_any_text_lays_out_inside_the_badge(
    first: str, full: str, company: str, first_time: bool, vcard: bool, template: str
) -> None:
    t = TEMPLATES[template]
    badge = BadgeData(
        first,
        full,
        company,
        company[::-1],
        "Mixer",
        first_time,
        full[:20],
        VCARD if vcard else None,
    )
    layout = layout_badge(badge, t)
    m = t.safe_margin
    safe = (m, m, t.badge_width - m, t.badge_height - m)
    for item in layout.all_boxes():
        assert _inside(_rect(item), safe), item.role
    for box in layout.texts:
        for line in box.fitted.lines:
            assert line.width * box.fitted.size <= box.width + EPS
    if first_time and vcard:  # and it draws, whatever the text
        assert render_badge_pdf(badge, t).startswith(b"%PDF")
