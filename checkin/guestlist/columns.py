"""Resolving a file's header into the column each field is read from.

The tool's preset first, then the synonym table, then words in custom questions, then the
organiser's explicit mapping on top.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from checkin.guestlist.presets import Preset
from checkin.guestlist.rows import ImportProblem
from checkin.guestlist.synonyms import (
    _KEYWORD_RULES,
    _OPTION_SEP,
    FIELDS,
    LIST_FIELDS,
    NAME_FIELDS,
    SYNONYMS,
    norm,
)


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
            first_at.setdefault(n, i)  # a duplicated header that is read is refused below
    cols = Columns()
    claimed: set[int] = set()

    def pick(candidates: tuple[str, ...], ignore: frozenset[str] = frozenset()) -> int | None:
        for c in candidates:
            i = first_at.get(c)
            if i is not None and i not in claimed and c not in ignore:
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
            i = pick(SYNONYMS[f], preset.ignore)
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
    _refuse_duplicates(headers, norms, cols, preset.repeated)
    return cols


def _refuse_duplicates(
    headers: Sequence[str], norms: list[str], cols: Columns, repeated: frozenset[str]
) -> None:
    """Two columns with one name, and one of them is read: which one was meant is a guess."""
    read = [*cols.index.values(), *cols.extras.values()]
    read += [i for alts in cols.fallback.values() for i in alts]
    reported: set[str] = set()
    for i in read:
        n = norms[i]
        same = [j for j, m in enumerate(norms) if m == n]
        if len(same) > 1 and n not in reported and n not in repeated:
            reported.add(n)
            names = " and ".join(f"'{headers[j]}' (column {j + 1})" for j in same)
            cols.problems.append(
                ImportProblem(
                    None,
                    headers[i],
                    f"the header has {len(same)} columns with the same name: {names}; "
                    "rename or delete one so it is clear which one to read",
                )
            )


def suggest(headers: Sequence[str], fields: Sequence[str], limit: int = 3) -> list[str]:
    """For each field, the file's columns whose names come closest to a known name for it:
    "'Vornamen' looks like first name"."""
    norms = {norm(h): h for h in headers if norm(h)}
    out: list[str] = []
    for f in fields:
        known = set(SYNONYMS.get(f, ()))
        best: list[tuple[float, str]] = []
        for n, h in norms.items():
            score = max((difflib.SequenceMatcher(None, n, k).ratio() for k in known), default=0)
            if score >= 0.6:
                best.append((score, h))
        for _, h in sorted(best, reverse=True)[:limit]:
            out.append(f"'{h}' looks like {f.replace('_', ' ')}")
    return out


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
