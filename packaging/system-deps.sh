#!/bin/sh
# Debian/Ubuntu packages Welcome Desk needs beyond Python wheels. Installs only what is
# missing, and only when it can (root, or passwordless sudo); otherwise it says what to
# install and carries on (tests that need a missing part then skip, saying why).
#   usage: packaging/system-deps.sh run|test|package
set -e
purpose=${1:-run}

# Qt's runtime libraries (xcb for a real display, pulse/xrandr for QtMultimedia), fonts.
RUN="libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core
libpulse0 libxrandr2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
libxkbcommon-x11-0 libcups2"
# Tests: a PostgreSQL server, a print-to-PDF queue, PDF rendering, a virtual display, and
# objdump for the bundle build (tests/test_packaging.py with CHECKIN_TEST_PACKAGE=1) and
# desktop-file-validate for the Linux menu entry; chromium for the hosts' phone pages
# (tests/web drive it with Playwright, which cannot download its own browser offline); a
# window manager and xdotool drive the app under Xvfb as a volunteer would (tools/screenshots.py,
# the real-X tests).
TEST="postgresql cups printer-driver-cups-pdf poppler-utils xvfb xauth binutils
desktop-file-utils chromium openbox xdotool imagemagick"

# Building the bundle: PyInstaller needs objdump.
PACKAGE="binutils"

pkgs="$RUN"
[ "$purpose" = test ] && pkgs="$RUN $TEST"
[ "$purpose" = package ] && pkgs="$RUN $PACKAGE"

command -v dpkg-query >/dev/null 2>&1 || { echo "system-deps: not a Debian system; skipping"; exit 0; }

missing=""
for p in $pkgs; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "system-deps: please install:$missing" >&2
    exit 0
fi

echo "system-deps: installing$missing"
# Packages such as cups and postgresql must not start services here: tests start their own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
