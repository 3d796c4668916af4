"""The desktop bundle: what the PyInstaller spec ships, the Linux desktop files, the icons;
and (slow, with CHECKIN_TEST_PACKAGE=1) a real build whose binary must pass its selftest."""

from __future__ import annotations

import ast
import configparser
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from checkin import __version__
from checkin.selftest import QT_MODULES

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "welcome-desk.spec"
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "resources" / "icons"


def spec_constants() -> dict:
    """The spec's plain top-level assignments (NAME = literal), read without running it."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                with contextlib.suppress(ValueError):  # not a literal: computed by the spec
                    found[target.id] = ast.literal_eval(node.value)
    return found


SPEC_VALUES = spec_constants()
APP_NAME = SPEC_VALUES["APP_NAME"]
APP_ID = SPEC_VALUES["APP_ID"]


# --- the spec ----------------------------------------------------------------------------------


def test_spec_bundles_resources_and_migrations_as_data() -> None:
    dirs = SPEC_VALUES["DATA_DIRS"]
    assert ("resources", "resources") in dirs
    # migrate.py finds them next to itself: _internal/checkin/store/migrations in the bundle.
    assert ("checkin/store/migrations", "checkin/store/migrations") in dirs
    for source, _ in dirs:
        assert (ROOT / source).is_dir(), source
    migrations = ROOT / "checkin" / "store" / "migrations"
    assert (migrations / "env.py").is_file()
    assert (migrations / "script.py.mako").is_file()
    assert list((migrations / "versions").glob("[0-9]*.py")), "no migration versions"


def test_spec_runs_the_checkin_command() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert '"launcher.py"' in text
    launcher = (ROOT / "packaging" / "launcher.py").read_text(encoding="utf-8")
    assert "from checkin.cli.main import main" in launcher
    assert "sys.exit(main())" in launcher
    assert set(SPEC_VALUES["ALL_SUBMODULES"]) >= {"checkin", "ui"}


def test_spec_keeps_every_qt_module_the_app_needs() -> None:
    hidden, excluded = set(SPEC_VALUES["HIDDEN_IMPORTS"]), set(SPEC_VALUES["EXCLUDES"])
    needed = {f"PySide6.{name}" for name in QT_MODULES}
    assert needed <= hidden
    assert not needed & excluded
    assert {"sqlalchemy.dialects.postgresql.psycopg", "alembic.op"} <= hidden


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_nothing_the_app_imports_is_excluded_from_the_bundle() -> None:
    excluded = SPEC_VALUES["EXCLUDES"]
    offenders = []
    for package in ("checkin", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            for name in _imported_modules(path):
                hit = [e for e in excluded if name == e or name.startswith(e + ".")]
                if hit:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name} (excluded: {hit})")
    assert not offenders, "remove these from EXCLUDES in packaging/welcome-desk.spec: " + str(
        offenders
    )


# --- Linux desktop entry and AppStream data ----------------------------------------------------


def test_desktop_entry_is_valid() -> None:
    path = LINUX / f"{APP_NAME}.desktop"
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Welcome Desk"
    assert entry["Exec"].split()[0] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    for key in ("Categories", "Keywords"):
        assert entry[key].endswith(";"), f"{key} must end with ';'"


def test_appstream_metadata_matches_the_app() -> None:
    path = LINUX / f"{APP_ID}.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_NAME}.desktop"
    assert root.findtext("project_license") == "MIT"
    versions = [r.get("version") for r in root.iter("release")]
    assert __version__ in versions, (
        f'add a <release version="{__version__}"> to {path.name} (releases: {versions})'
    )
    appstreamcli = shutil.which("appstreamcli")
    if appstreamcli:
        result = subprocess.run(
            [appstreamcli, "validate", "--no-net", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_install_script_is_valid_sh() -> None:
    subprocess.run(["sh", "-n", str(LINUX / "install.sh")], check=True)


# --- the icon ----------------------------------------------------------------------------------


def test_icon_files_exist_in_every_size() -> None:
    from PIL import Image

    svg = ET.parse(ICONS / "welcome-desk.svg").getroot()
    assert svg.tag.endswith("svg") and svg.get("viewBox") == "0 0 256 256"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ICONS / f"welcome-desk-{size}.png") as png:
            assert png.size == (size, size) and png.mode == "RGBA"
    with Image.open(ICONS / "welcome-desk.ico") as ico:
        assert (16, 16) in ico.info["sizes"] and (256, 256) in ico.info["sizes"]
    with Image.open(ICONS / "welcome-desk.icns") as icns:
        assert icns.format == "ICNS"


# --- a real build (slow) -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("CHECKIN_TEST_PACKAGE") != "1",
    reason="builds the PyInstaller bundle (~45 s): set CHECKIN_TEST_PACKAGE=1",
)
def test_built_bundle_runs_version_selftest_and_the_gui(tmp_path: Path) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail('PyInstaller is missing: pip install -e ".[package]" (make package does)')
    dist, work = tmp_path / "dist", tmp_path / "build"
    start = time.monotonic()
    # The Makefile's `package` command, built into a scratch folder.
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    build = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    built_in = time.monotonic() - start

    folder = dist / APP_NAME
    binary = folder / (APP_NAME + (".exe" if sys.platform == "win32" else ""))
    if sys.platform == "win32":
        binary = folder / "checkin.exe"  # the console twin; welcome-desk.exe has no console
    assert (folder / "_internal" / "checkin" / "store" / "migrations" / "script.py.mako").is_file()
    assert (folder / "_internal" / "resources" / "fonts").is_dir()

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.multimedia.*=false",
        # The bundle must stand alone: no source tree, no virtualenv on the path.
        "PYTHONPATH": "",
        "CHECKIN_RESOURCES": "",
        "CHECKIN_DATABASE_URL": str(tmp_path / "never-used.sqlite3"),
    }
    env.pop("VIRTUAL_ENV", None)
    run = {"cwd": tmp_path, "env": env, "capture_output": True, "text": True, "timeout": 120}

    version = subprocess.run([str(binary), "--version"], **run)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"Welcome Desk {__version__}"

    selftest = subprocess.run([str(binary), "selftest", "--json"], **run)
    report = json.loads(selftest.stdout)
    assert selftest.returncode == 0, json.dumps(report, indent=2, ensure_ascii=False)
    assert report["frozen"] is True and report["ok"] is True
    assert all(s["status"] == "ok" for s in report["steps"]), report["steps"]

    # The app starts offscreen and keeps running (the GUI loop) until it is stopped.
    gui = subprocess.Popen(
        [str(binary), "--database", str(tmp_path / "gui.sqlite3"), "gui"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)
        still_running = gui.poll() is None
    finally:
        gui.terminate()
        _, err = gui.communicate(timeout=30)
    assert still_running, f"the GUI exited with {gui.returncode}: {err[-3000:]}"
    print(f"built in {built_in:.0f} s; selftest {report['ms']:.0f} ms")
