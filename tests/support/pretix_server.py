"""Run a REAL pretix server on 127.0.0.1 for integration tests.

Standard library only (urllib); the API half is in pretix_api.py beside it.

    from tests.support.pretix_server import PretixServer

    with PretixServer("/tmp/pretix-run") as px:
        px.create_event("conf", locale="en")
        item = px.add_product("conf", "Ticket", price="10.00")
        names = {"given_name": "José", "family_name": "Müller"}
        order = px.create_order("conf", [{"attendee_name_parts": names}])
        secret = order["positions"][0]["secret"]
        status, body = px.redeem(secret, [px.checkin_list("conf")["id"]])

What it does (each step is timed and logged to stderr with the prefix "[pretix-lab]"):

1. ensures a virtualenv with pretix in the cache dir (default ~/.cache/welcome-desk/pretix-venv,
   override with cache_dir= or env PRETIX_LAB_CACHE); created once, reused afterwards;
2. ensures a migrated template SQLite DB in the cache (keyed by the pretix version), created once
   with `python -m pretix migrate --noinput` (90-300 s), then copied for every run (~0 s);
3. writes a pretix.cfg into workdir (sqlite, debug=on, ecb_rates=off, no redis/celery so that
   background tasks (exports, mails) run inline, mail pointed at an unused 127.0.0.1 port);
4. starts `python -m pretix runserver 127.0.0.1:<free port> --noreload` in its own process group;
5. creates organizer + team (all permissions) + API token with a small Django script
   (runs in parallel to the server boot);
6. waits for the authenticated API to answer 200 (/healthcheck/ is 503 without redis);
7. on exit terminates the server's process group (only the process it started).

Everything is addressed by 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import fcntl
import json as _json
import os
import secrets as _secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from tests.support.pretix_api import PretixAPI, _log, _timed

# The venv (and the migrated template database inside it) is kept between runs: the first
# set-up costs minutes (pip install ~70 s, migrate 90-300 s), later starts ~10 s.
# CHECKIN_PRETIX_CACHE moves the folder that holds it (default ~/.cache/welcome-desk).
CACHE_ROOT = os.environ.get("CHECKIN_PRETIX_CACHE") or os.path.join(
    os.path.expanduser("~"), ".cache", "welcome-desk"
)
DEFAULT_CACHE = os.path.join(CACHE_ROOT, "pretix-venv")


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


_BOOTSTRAP = r"""
import json, os, sys
import django
django.setup()
from django_scopes import scopes_disabled
from pretix.base.models import Organizer, Team, TeamAPIToken
slug, name, name_scheme = sys.argv[1], sys.argv[2], sys.argv[3]
with scopes_disabled():
    o = Organizer.objects.filter(slug=slug).first()
    if o is None:
        o = Organizer.objects.create(slug=slug, name=name)
    # Event settings inherit from the organizer: new (API-created) events then use this name scheme.
    # (PATCHing event settings name_scheme via the API works only once per server process: pretix
    # builds its choices from a generator expression that is exhausted after the first use.)
    o.settings.name_scheme = name_scheme
    t = Team.objects.create(
        organizer=o, name="pretix-lab API", all_events=True,
        all_event_permissions=True, all_organizer_permissions=True,
    )
    tok = TeamAPIToken.objects.create(team=t, name="pretix-lab")
    res = {"organizer": o.slug, "token": tok.token, "team": t.pk}
    print("PRETIX_LAB_RESULT " + json.dumps(res))
"""


class PretixServer(PretixAPI):
    """Context manager running a real pretix on 127.0.0.1.

    Parameters
    ----------
    workdir: directory for this run (config, data dir incl. db.sqlite3, logs). Created if missing;
             an existing data/db.sqlite3 is replaced by a fresh copy of the template unless
             keep_db=True.
    cache_dir: venv location; the template DB lives in <cache_dir>/templates/<pretix version>/.
    pretix_spec: pip requirement, e.g. "pretix" or "pretix==2026.8.0".
    organizer: slug of the organizer to create.
    static: run `python -m pretix rebuild` once per venv (only needed for the web UI, not the API).
    startup_timeout: seconds to wait for the server to answer.
    """

    def __init__(
        self,
        workdir,
        cache_dir=None,
        pretix_spec="pretix",
        organizer="lab",
        organizer_name="Pretix Lab",
        name_scheme="given_family",
        port=None,
        static=False,
        keep_db=False,
        startup_timeout=180,
        python=None,
        quiet=False,
    ):
        self.workdir = os.path.abspath(str(workdir))
        self.cache_dir = os.path.abspath(
            cache_dir or os.environ.get("PRETIX_LAB_CACHE") or DEFAULT_CACHE
        )
        self.pretix_spec = pretix_spec
        self.organizer = organizer
        self.organizer_name = organizer_name
        self.name_scheme = name_scheme
        self.port = port
        self.static = static
        self.keep_db = keep_db
        self.startup_timeout = startup_timeout
        self.base_python = python or shutil.which("python3") or sys.executable
        self.quiet = quiet
        self.timings = {}
        self.url = None
        self.token = None
        self.proc = None
        self.pretix_version = None
        self._items = {}

    # ------------------------------------------------------------------ paths
    @property
    def venv_python(self):
        return os.path.join(self.cache_dir, "bin", "python")

    @property
    def datadir(self):
        return os.path.join(self.workdir, "data")

    @property
    def config_file(self):
        return os.path.join(self.workdir, "pretix.cfg")

    @property
    def server_log(self):
        return os.path.join(self.workdir, "server.log")

    def _npm_shim_dir(self):
        # With debug=on, pretix's runserver starts `npm run dev:control` (Vite dev server) from
        # site-packages. If npm is missing that Popen raises FileNotFoundError and runserver dies;
        # if npm exists it errors out noisily. A no-op `npm` first on PATH avoids both.
        d = os.path.join(self.workdir, "bin")
        shim = os.path.join(d, "npm")
        if not os.path.exists(shim):
            os.makedirs(d, exist_ok=True)
            with open(shim, "w") as f:
                f.write("#!/bin/sh\nexit 0\n")
            os.chmod(shim, 0o755)
        return d

    def _env(self, config_file=None):
        env = dict(os.environ)
        for k in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
            env.pop(k, None)
        env["PRETIX_CONFIG_FILE"] = config_file or self.config_file
        env["DJANGO_SETTINGS_MODULE"] = "pretix.settings"
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        env["PIP_ROOT_USER_ACTION"] = "ignore"
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        return env

    def _run(self, args, what, env=None, cwd=None, timeout=1800, log_file=None):
        with _timed(what, self.timings):
            res = subprocess.run(
                args,
                env=env or self._env(),
                cwd=cwd or self.workdir,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        out = res.stdout.decode("utf-8", "replace")
        if log_file:
            with open(log_file, "a", encoding="utf-8") as f:
                f.write(f"$ {' '.join(args)}\n{out}\n")
        if res.returncode != 0:
            raise RuntimeError(f"{what} failed (exit {res.returncode}):\n{out[-4000:]}")
        return out

    @contextlib.contextmanager
    def _cache_lock(self):
        os.makedirs(self.cache_dir, exist_ok=True)
        with open(os.path.join(self.cache_dir, ".pretix-lab.lock"), "w") as lf:
            fcntl.flock(lf, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lf, fcntl.LOCK_UN)

    # ------------------------------------------------------------------ setup steps
    def ensure_venv(self):
        marker = os.path.join(self.cache_dir, ".pretix-lab-installed")
        if os.path.exists(self.venv_python) and os.path.exists(marker):
            with open(marker) as f:
                if f.read().strip() == self.pretix_spec:
                    return
        os.makedirs(self.workdir, exist_ok=True)
        log = os.path.join(self.cache_dir + ".install.log")
        if not os.path.exists(self.venv_python):
            self._run(
                [self.base_python, "-m", "venv", self.cache_dir],
                "create venv",
                cwd="/",
                log_file=log,
            )
        self._run(
            [self.venv_python, "-m", "pip", "install", "-q", "-U", "pip", "wheel", "setuptools"],
            "upgrade pip",
            cwd="/",
            log_file=log,
        )
        self._run(
            [self.venv_python, "-m", "pip", "install", "-q", self.pretix_spec],
            f"pip install {self.pretix_spec}",
            cwd="/",
            log_file=log,
        )
        with open(marker, "w") as f:
            f.write(self.pretix_spec)

    def _get_version(self):
        out = subprocess.run(
            [self.venv_python, "-c", "import pretix; print(pretix.__version__)"],
            stdout=subprocess.PIPE,
            check=True,
            cwd="/",
        ).stdout
        return out.decode().strip()

    def _write_config(self, path, datadir, url, secret):
        mail_port = free_port()  # nothing listens there: mails fail fast instead of leaving the box
        cfg = f"""[pretix]
instance_name=pretix-lab
url={url}
datadir={datadir}
currency=EUR
ecb_rates=off
registration=off
password_reset=off

[locale]
default=en
timezone=UTC

[database]
backend=sqlite3
name={os.path.join(datadir, "db.sqlite3")}

[mail]
from=pretix-lab@localhost
host=127.0.0.1
port={mail_port}

[django]
secret={secret}
debug=on
"""
        os.makedirs(datadir, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(cfg)

    def ensure_template_db(self):
        self.pretix_version = self._get_version()
        tdir = os.path.join(self.cache_dir, "templates", self.pretix_version)
        tdb = os.path.join(tdir, "db.sqlite3")
        if os.path.exists(tdb):
            return tdb
        build = tdir + ".build"
        shutil.rmtree(build, ignore_errors=True)
        os.makedirs(build)
        cfg = os.path.join(build, "pretix.cfg")
        self._write_config(
            cfg, os.path.join(build, "data"), "http://127.0.0.1:8000", _secrets.token_hex(32)
        )
        self._run(
            [self.venv_python, "-m", "pretix", "migrate", "--noinput"],
            "migrate template DB",
            env=self._env(cfg),
            cwd=build,
            log_file=os.path.join(build, "migrate.log"),
        )
        os.makedirs(tdir, exist_ok=True)
        shutil.copy2(os.path.join(build, "data", "db.sqlite3"), tdb + ".tmp")
        os.replace(tdb + ".tmp", tdb)
        shutil.rmtree(build, ignore_errors=True)
        return tdb

    def ensure_static(self):
        marker = os.path.join(self.cache_dir, f".pretix-lab-static-{self.pretix_version}")
        if os.path.exists(marker):
            return
        self._run(
            [self.venv_python, "-m", "pretix", "rebuild"],
            "rebuild static files",
            log_file=os.path.join(self.workdir, "rebuild.log"),
        )
        open(marker, "w").close()

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        t0 = time.monotonic()
        os.makedirs(self.workdir, exist_ok=True)
        with self._cache_lock():
            self.ensure_venv()
            tdb = self.ensure_template_db()
        self.port = self.port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._write_config(self.config_file, self.datadir, self.url, _secrets.token_hex(32))
        db = os.path.join(self.datadir, "db.sqlite3")
        if not (self.keep_db and os.path.exists(db)):
            with _timed("copy template DB", self.timings):
                for suffix in ("", "-wal", "-shm", "-journal"):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(db + suffix)
                shutil.copy2(tdb, db)
        if self.static:
            with self._cache_lock():
                self.ensure_static()

        t_srv = time.monotonic()
        self._log_fh = open(self.server_log, "ab")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [self.venv_python, "-m", "pretix", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=dict(
                self._env(), PATH=self._npm_shim_dir() + os.pathsep + os.environ.get("PATH", "")
            ),
            cwd=self.workdir,
            stdout=self._log_fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        _log(f"runserver pid {self.proc.pid} on {self.url} (log: {self.server_log})")
        try:
            out = self._run(
                [
                    self.venv_python,
                    "-c",
                    _BOOTSTRAP,
                    self.organizer,
                    self.organizer_name,
                    self.name_scheme,
                ],
                "create organizer/team/token",
            )
            line = [ln for ln in out.splitlines() if ln.startswith("PRETIX_LAB_RESULT ")][-1]
            res = _json.loads(line.split(" ", 1)[1])
            self.token = res["token"]
            self._wait_ready(t_srv)
        except BaseException:
            self.stop()
            raise
        self.timings["start total"] = round(time.monotonic() - t0, 2)
        _log(
            f"ready: {self.url} organizer={self.organizer} "
            f"(total start {self.timings['start total']} s)"
        )
        return self

    def _wait_ready(self, t_srv):
        deadline = t_srv + self.startup_timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"runserver exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            # /healthcheck/ is useless here: it answers 503 "Cache not available" because pretix
            # uses a dummy cache without redis/memcached. Probe the authenticated API instead.
            try:
                status, _, body = self.api_raw(
                    "GET", f"/api/v1/organizers/{self.organizer}/", timeout=5
                )
                if status == 200:
                    self.timings["server answers"] = round(time.monotonic() - t_srv, 2)
                    _log(f"server answers after {self.timings['server answers']} s")
                    return
                last = f"HTTP {status}: {body[:200]!r}"
            except (OSError, urllib.error.URLError) as e:  # connection refused while booting
                last = e
            time.sleep(0.25)
        raise TimeoutError(
            f"pretix did not answer within {self.startup_timeout}s ({last}):\n{self.log_tail()}"
        )

    def log_tail(self, n=60):
        try:
            with open(self.server_log, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        p, self.proc = self.proc, None
        if p is not None and p.poll() is None:
            with _timed("stop server", self.timings):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)  # our own process group (start_new_session)
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(p.pid, signal.SIGKILL)
                    p.wait(timeout=15)
        fh = getattr(self, "_log_fh", None)
        if fh:
            fh.close()
            self._log_fh = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


if __name__ == "__main__":  # smoke test: python pretix_server.py [workdir]
    wd = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pretix-lab-smoke"
    with PretixServer(wd) as px:
        print(px.url, px.token, px.organizer)
        print(px.api("GET", "/api/v1/organizers/"))
        print(_json.dumps(px.timings, indent=1))
