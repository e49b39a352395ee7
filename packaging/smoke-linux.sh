#!/usr/bin/env bash
# Installer smoke test (Linux): builds the .deb, installs it, starts the installed launcher under Xvfb
# with --smoke (window, one exec on a fake runner, first-frame time), measures the first frame with and
# without the AppCDS archive, and uninstalls. Fails on any error or if the window never shows.
# Needs root (apt-get), Xvfb, and jpackage's tools (dpkg-deb, fakeroot). SCREENSHOT=FILE also saves a
# screenshot of the installed app.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}

display=:${SMOKE_DISPLAY:-91}
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() {
  kill "$xvfb" 2>/dev/null || true
  if dpkg -s runnerdesk >/dev/null 2>&1; then apt-get remove -y -qq runnerdesk >/dev/null || true; fi
}
trap cleanup EXIT
export DISPLAY=$display

DISPLAY=$display bash packaging/build.sh deb
deb=$(ls target/dist/runnerdesk_*.deb)
# the package's post-install registers the menu entry with xdg-utils, which expects these folders
mkdir -p /usr/share/applications /usr/share/desktop-directories /etc/xdg/menus
apt-get install -y -qq "./$deb" >/dev/null
launcher=/opt/runnerdesk/bin/RunnerDesk
test -x "$launcher"
desktop=$(ls /opt/runnerdesk/lib/*.desktop)
grep -q '^StartupWMClass=dev.runnerdesk.ui.app.RunnerDeskApplication$' "$desktop" || { echo "desktop entry without StartupWMClass: $desktop" >&2; exit 1; }
grep -q '^Exec=/opt/runnerdesk/bin/RunnerDesk' "$desktop" || { cat "$desktop" >&2; exit 1; }

"$launcher" --version
first_frame() { # prints the first-frame ms of one --smoke run of the installed app, or fails
  local out
  out=$(HOME=$(mktemp -d) "$launcher" --smoke 2>&1) || { echo "$out" >&2; return 1; }
  grep -q '^smoke: ok' <<<"$out" || { echo "$out" >&2; return 1; }
  if [ -f "$jsa" ] && grep -q 'Unable to use shared archive' <<<"$out"; then echo "the AppCDS archive did not load:" >&2; echo "$out" >&2; return 1; fi
  sed -n 's/^first-frame-ms=//p' <<<"$out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

jsa=/opt/runnerdesk/lib/app/runnerdesk.jsa
first_frame >/dev/null # warm the disk cache once
with=$(for i in $(seq "$runs"); do first_frame; done | median)
mv "$jsa" "$jsa.off"
without=$(for i in $(seq "$runs"); do first_frame; done | median)
mv "$jsa.off" "$jsa"

if [ -n "${SCREENSHOT:-}" ]; then
  HOME=$(mktemp -d) "$launcher" >/dev/null 2>&1 &
  app=$!
  for _ in $(seq 30); do xprop -name RunnerDesk WM_CLASS >/dev/null 2>&1 && break; sleep 1; done
  sleep 3
  # the main window, not JavaFX's 10×10 helper window of the same name
  geometry=$(xwininfo -root -tree | grep '"RunnerDesk"' | awk '{print $(NF-1)}' | sort -t x -k1 -n -r | head -1)
  import -window root -crop "$geometry" +repage "$SCREENSHOT" || echo "warning: no screenshot" >&2
  kill "$app"
fi

size=$(stat -c %s "$deb")
installed=$(dpkg-query -W -f='${Installed-Size}' runnerdesk)
echo "installer: $(basename "$deb") $((size / 1024 / 1024)) MB download, $((installed / 1024)) MB installed"
echo "first frame (median of $runs): ${with} ms with AppCDS, ${without} ms without"
apt-get remove -y -qq runnerdesk >/dev/null
echo "smoke-linux: ok"
