"""Words for counts: "1 badge", "2 badges"."""

from __future__ import annotations

_IRREGULAR = {"person": "people", "newcomer is": "newcomers are"}


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {_IRREGULAR.get(word, word + 's')}"
