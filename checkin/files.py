"""Files written whole or not at all: a USB stick pulled mid-export leaves the old file.

Every file written this way is also noted in a ledger of written files (path, time, kind),
so that ``forget`` can list the exports, lists, badges and QR sheets that may still hold a
forgotten person. The ledger is one JSON line per file in the user's data folder
(``$CHECKIN_FILES_LEDGER`` to put it elsewhere); it holds paths, never file contents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LEDGER_ENV = "CHECKIN_FILES_LEDGER"
KINDS = {".csv": "CSV", ".json": "JSON", ".xlsx": "XLSX", ".pdf": "PDF"}


@contextmanager
def whole_file(path: str | os.PathLike, kind: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; on success it is flushed to disk and
    renamed over ``path``, on any error removed. Readers never see a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    record_written(target, kind or KINDS.get(target.suffix.lower(), "file"))


@dataclass(frozen=True)
class Written:
    path: str
    at: dt.datetime
    kind: str


def ledger_path() -> Path:
    if os.environ.get(LEDGER_ENV):
        return Path(os.environ[LEDGER_ENV])
    import platformdirs

    return Path(platformdirs.user_data_dir("welcome-desk", "WelcomeDesk")) / "written-files.jsonl"


def record_written(path: str | os.PathLike, kind: str) -> None:
    """Note a file the app wrote. Never fails the write it follows: the file is there."""
    line = {
        "path": str(Path(path).resolve()),
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "kind": kind,
    }
    with contextlib.suppress(OSError):
        ledger = ledger_path()
        ledger.parent.mkdir(parents=True, exist_ok=True)
        with open(ledger, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def written_files() -> list[Written]:
    """Every file the ledger names that still exists, the latest write of each."""
    latest: dict[str, Written] = {}
    try:
        text = ledger_path().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    for raw in text.splitlines():
        try:
            doc = json.loads(raw)
            item = Written(str(doc["path"]), dt.datetime.fromisoformat(doc["at"]), doc["kind"])
        except (ValueError, KeyError, TypeError):
            continue  # a torn line: the others still count
        latest[item.path] = item
    return sorted(
        (w for w in latest.values() if os.path.isfile(w.path)), key=lambda w: (w.at, w.path)
    )
