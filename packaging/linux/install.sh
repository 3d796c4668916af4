#!/bin/sh
# Install (or remove) this Welcome Desk bundle for the current user; no root needed.
# `make package` copies this script into dist/welcome-desk/, next to the app:
#
#   dist/welcome-desk/install.sh               copy the app to ~/.local/opt/welcome-desk,
#                                              add it to the desktop's menu, and put
#                                              `welcome-desk` (and `checkin`, if free) in ~/.local/bin
#   ~/.local/opt/welcome-desk/install.sh --uninstall
#
# WELCOME_DESK_PREFIX changes ~/.local/opt (e.g. /opt, run as root, for every user).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=io.welcomedesk.WelcomeDesk
opt=${WELCOME_DESK_PREFIX:-$HOME/.local/opt}
app=$opt/welcome-desk
bin=$HOME/.local/bin
data=${XDG_DATA_HOME:-$HOME/.local/share}
[ "$(id -u)" = 0 ] && [ -n "${WELCOME_DESK_PREFIX:-}" ] && { bin=/usr/local/bin; data=/usr/local/share; }

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

unlink_ours() {  # remove a symlink only when it points into this app
    [ -L "$1" ] && case "$(readlink "$1")" in "$app"/*) rm -f "$1" ;; esac
    return 0
}

if [ "${1:-}" = --uninstall ]; then
    unlink_ours "$bin/welcome-desk"
    unlink_ours "$bin/checkin"
    rm -f "$data/applications/welcome-desk.desktop" "$data/metainfo/$id.metainfo.xml"
    find "$data/icons/hicolor" -name "$id.*" -delete 2>/dev/null || true
    rm -rf "$app"
    refresh
    echo "Welcome Desk removed (your events database is kept in ~/.local/share/welcome-desk)."
    exit 0
fi

[ -x "$here/welcome-desk" ] && [ -d "$here/_internal" ] || { echo "install.sh: run it from the built bundle (dist/welcome-desk/)" >&2; exit 1; }
if [ "$here" != "$app" ]; then
    mkdir -p "$opt"
    rm -rf "$app.new"
    cp -a "$here" "$app.new"
    rm -rf "$app"
    mv "$app.new" "$app"
fi
mkdir -p "$bin" "$data/applications" "$data/metainfo"
ln -sfn "$app/welcome-desk" "$bin/welcome-desk"
if [ ! -e "$bin/checkin" ] || [ -L "$bin/checkin" ]; then
    case "$(readlink "$bin/checkin" 2>/dev/null || echo "$app/")" in
        "$app"/*) ln -sfn "$app/welcome-desk" "$bin/checkin" ;;
    esac
fi
sed -e "s|^Exec=.*|Exec=$app/welcome-desk|" -e "s|^TryExec=.*|TryExec=$app/welcome-desk|" \
    "$app/share/applications/welcome-desk.desktop" > "$data/applications/welcome-desk.desktop"
cp "$app/share/metainfo/$id.metainfo.xml" "$data/metainfo/"
for icon in "$app"/share/icons/hicolor/*/apps/"$id".*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$data/icons/hicolor/$size/apps"
    cp "$icon" "$data/icons/hicolor/$size/apps/"
done
refresh
echo "Welcome Desk $("$app/welcome-desk" --version | sed 's/^Welcome Desk //') installed in $app"
echo "Start it from the menu, or run: $bin/welcome-desk   (check it: $bin/welcome-desk selftest)"
