"""A small bidirectional-text reordering for one line of a badge.

It covers what names, companies and titles need: a paragraph direction from the first
strong character, right-to-left runs (Hebrew, Arabic), left-to-right islands inside them
(Latin words, digits) and neutrals (spaces, punctuation) taking the direction of their
neighbours. Explicit embeddings are not supported (their control characters are dropped
by the font segmentation). HarfBuzz puts the glyphs of each right-to-left run in visual
order; this module orders the runs.
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
    for ch in text:
        kind = strong_class(ch)
        if kind in ("L", "R"):
            return kind == "R"
    return False


def levels(text: str) -> list[int]:
    """Embedding level per character: even is left to right, odd right to left."""
    rtl = base_is_rtl(text)
    kinds = [strong_class(ch) for ch in text]
    base = "R" if rtl else "L"
    # Numbers count as R next to R text (rule N1), else as L.
    resolved: list[str | None] = []
    for i, kind in enumerate(kinds):
        if kind == "N":
            prev = next((k for k in reversed(kinds[:i]) if k in ("L", "R")), base)
            resolved.append("n" if prev == "R" else "L")
        else:
            resolved.append(kind)
    _resolve_brackets(text, resolved, base)
    out: list[int] = []
    n = len(text)
    i = 0
    while i < n:
        kind = resolved[i]
        if kind is not None:
            out.append(_level(kind, rtl))
            i += 1
            continue
        j = i
        while j < n and resolved[j] is None:
            j += 1
        before = _as_strong(resolved[i - 1] if i > 0 else None, base)
        after = _as_strong(resolved[j] if j < n else None, base)
        kind = before if before == after else base
        out.extend([_level(kind, rtl)] * (j - i))
        i = j
    return out


def _resolve_brackets(text: str, resolved: list[str | None], base: str) -> None:
    """Rule N0, simplified: a bracket pair takes one direction, so '(Acme)' stays together."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _OPENING:
            stack.append((_OPENING[ch], i))
        elif stack and ch == stack[-1][0]:
            _, start = stack.pop()
            inside = {_as_strong(k, base) for k in resolved[start + 1 : i] if k is not None}
            if base in inside:
                kind = base
            elif inside:
                before = next((k for k in reversed(resolved[:start]) if k is not None), None)
                kind = _as_strong(before, base) if before is not None else base
            else:
                continue
            resolved[start] = resolved[i] = kind


def _as_strong(kind: str | None, base: str) -> str:
    if kind is None:
        return base
    return "R" if kind in ("R", "n") else "L"


def _level(kind: str, rtl: bool) -> int:
    if kind == "R":
        return 1
    if kind == "n":  # a number inside right-to-left text reads left to right
        return 2
    return 2 if rtl else 0


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
