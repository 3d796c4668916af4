"""Writes the outcome sounds (small WAVs): run once; the files are committed.

Distinct by pitch and rhythm, so a volunteer knows the outcome without looking:
welcome = two rising notes, again = one middle note twice, error = a low buzz.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050


def tone(freq: float, seconds: float, volume: float = 0.5, square: bool = False) -> list[float]:
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        phase = math.sin(2 * math.pi * freq * i / RATE)
        value = (1.0 if phase >= 0 else -1.0) * 0.4 if square else phase
        fade = min(1.0, i / 200, (n - i) / 400)  # no clicks at either end
        out.append(value * volume * fade)
    return out


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(path: Path, samples: list[float]) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))


def main() -> None:
    here = Path(__file__).parent
    write(here / "welcome.wav", tone(660, 0.12) + tone(990, 0.18))
    write(here / "again.wav", tone(740, 0.1) + silence(0.06) + tone(740, 0.1))
    write(here / "error.wav", tone(196, 0.35, 0.45, square=True))
    write(here / "first_time.wav", tone(660, 0.1) + tone(880, 0.1) + tone(1175, 0.2))


if __name__ == "__main__":
    main()
