"""Where the app's bundled resources live: fonts, badge templates, icons and sounds."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "CHECKIN_RESOURCES"


def resources_dir() -> Path:
    """The resources/ folder: $CHECKIN_RESOURCES, PyInstaller's bundle, or the repo's."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    # checkin/resources.py -> the repository root holds resources/ next to checkin/
    return Path(__file__).resolve().parents[1] / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def templates_dir() -> Path:
    return resources_dir() / "badge_templates"
