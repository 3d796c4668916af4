"""A small bidirectional-text reordering for one line of a badge (Unicode UAX #9).

It covers what names, companies and titles need: a paragraph direction from the first
strong character (or given, for the second line of a wrapped paragraph), right-to-left runs
(Hebrew, Arabic), left-to-right islands inside them (Latin words), numbers (European and
Arabic-Indic digits with their separators, signs and units: rules W1-W7), bracket pairs
(N0) and neutrals (spaces, punctuation) taking the direction of their neighbours (N1, N2).
Explicit embeddings and isolates are not supported (their control characters are dropped by
the font segmentation). HarfBuzz puts the glyphs of each run in visual order; this module
orders the runs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_RTL = {"R", "AL"}
_NUMBER = {"EN", "AN"}
_OPENING = {"(": ")", "[": "]", "{": "}"}
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def strong_class(ch: str) -> str | None:
    """'L', 'R', 'N' (number) or None for neutral/weak characters."""
    cls = unicodedata.bidirectional(ch)
    if cls in _RTL:
        return "R"
    if cls == "L":
        return "L"
    if cls in _NUMBER:
        return "N"
    return None


def base_is_rtl(text: str) -> bool:
    """Rule P2: the paragraph is right to left when its first strong character is."""
    for ch in text:
        kind = strong_class(ch)
        if kind in ("L", "R"):
            return kind == "R"
    return False


def _weak_types(text: str, rtl: bool) -> list[str]:
    """Bidi classes after rules W1-W7: 'L', 'R', 'EN', 'AN' or 'ON' (any neutral)."""
    sos = "R" if rtl else "L"
    types = [unicodedata.bidirectional(ch) or "ON" for ch in text]
    # W1: a combining mark takes the type of the character it is on.
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = types[i - 1] if i > 0 else sos
    # W2: European digits after Arabic letters are Arabic numbers. W3: AL is R.
    last = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last = t
        elif t == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of a kind joins them: 12.5, 2024-2025, ١٢٬٥.
    for i in range(1, len(types) - 1):
        before, t, after = types[i - 1], types[i], types[i + 1]
        if before == after == "EN" and t in ("ES", "CS"):
            types[i] = "EN"
        elif before == after == "AN" and t == "CS":
            types[i] = "AN"
    # W5: currency, percent and the like next to European digits: $12, 30%, +46.
    for i, t in enumerate(types):
        if t != "EN":
            continue
        j = i - 1
        while j >= 0 and types[j] == "ET":
            types[j] = "EN"
            j -= 1
        j = i + 1
        while j < len(types) and types[j] == "ET":
            types[j] = "EN"
            j += 1
    # W6: other separators are neutral. W7: European digits in left-to-right text are L.
    last = sos
    for i, t in enumerate(types):
        if t in ("L", "R"):
            last = t
        elif t == "EN" and last == "L":
            types[i] = "L"
        elif t not in ("EN", "AN"):
            types[i] = "ON"
    return types


def _strong(t: str) -> str | None:
    """Direction a resolved type pulls neutrals towards (numbers count as R, rule N1)."""
    if t == "L":
        return "L"
    if t in ("R", "EN", "AN"):
        return "R"
    return None


def _resolve_brackets(text: str, types: list[str], e: str) -> None:
    """Rule N0: a bracket pair takes one direction, so '(Acme Ltd)' stays together."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if types[i] != "ON":
            continue
        if ch in _OPENING:
            stack.append((_OPENING[ch], i))
        else:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    for start, end in sorted(pairs):
        inside = {_strong(t) for t in types[start + 1 : end]} - {None}
        if e in inside:
            kind = e
        elif inside:
            before = next((_strong(t) for t in reversed(types[:start]) if _strong(t)), e)
            kind = before
        else:
            continue
        types[start] = types[end] = kind


def levels(text: str, rtl: bool | None = None) -> list[int]:
    """Embedding level per character: even is left to right, odd right to left.

    rtl is the paragraph direction; None finds it from the first strong character.
    """
    if rtl is None:
        rtl = base_is_rtl(text)
    e = "R" if rtl else "L"
    types = _weak_types(text, rtl)
    _resolve_brackets(text, types, e)
    # N1, N2: a run of neutrals between two of one direction takes it, else the paragraph's.
    n = len(types)
    i = 0
    while i < n:
        if types[i] != "ON":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ON":
            j += 1
        before = _strong(types[i - 1]) if i > 0 else e
        after = _strong(types[j]) if j < n else e
        types[i:j] = [before if before == after else e] * (j - i)
        i = j
    # I1, I2: the implicit levels.
    # Numbers (EN, AN) read left to right one level above right-to-left text: 2 in either.
    by_type = {"L": 2 if rtl else 0, "R": 1}
    return [by_type.get(t, 2) for t in types]


def visual_order(items: Sequence[T], item_levels: Sequence[int]) -> list[T]:
    """Reorder runs (each at one level) from logical to visual order (rule L2)."""
    order = list(range(len(items)))
    lv = list(item_levels)
    top = max(lv, default=0)
    for level in range(top, 0, -1):
        i = 0
        while i < len(order):
            if lv[i] >= level:
                j = i
                while j < len(order) and lv[j] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                lv[i:j] = reversed(lv[i:j])
                i = j
            else:
                i += 1
    return [items[k] for k in order]


def mirror(text: str) -> str:
    """Brackets drawn in a right-to-left run face the other way."""
    return text.translate(_MIRROR)
