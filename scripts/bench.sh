#!/usr/bin/env bash
# The benchmarks of README "Performance" in one command, on a fresh clone: installs what they need from
# Debian when it is missing (as root), then runs ./mvnw -Pbench verify (no tests; the benchmarks instead).
# Prints the table; writes target/bench/results.json. Takes about 25 minutes (2 cores).
# BENCH_ONLY=append,timeline runs some figures (keys: first-frame local-exec gateway-exec throughput append
# timeline files runner-list terminal).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)            # local exec and the terminal's sandbox
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)                   # the window benchmarks' display
command -v xterm >/dev/null 2>&1 || need+=(xterm)                 # the terminal's floor
command -v xwininfo >/dev/null 2>&1 || need+=(x11-utils)          # finding the windows for idle memory
command -v jpackage >/dev/null 2>&1 || need+=(openjdk-17-jdk)     # the installed app
command -v fakeroot >/dev/null 2>&1 || need+=(fakeroot)           # jpackage --type deb
command -v xdg-desktop-menu >/dev/null 2>&1 || need+=(xdg-utils)  # the .deb's post-install
[ -e /usr/lib/x86_64-linux-gnu/libgtk-3.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libgtk-3.so.0 ] || need+=(libgtk-3-0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

./mvnw -B -ntp -Pbench verify ${BENCH_ONLY:+-Dbench.only=$BENCH_ONLY}
