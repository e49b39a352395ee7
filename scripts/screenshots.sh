#!/usr/bin/env bash
# Takes the README's screenshots: scenes of src/test/java/dev/runnerdesk/ui/ScreenshotMain.java at 1280×800 and
# 800×600, light and dark, each in a fresh data directory with a few runners, under Xvfb, into assets/screenshots/
# as SCENE-THEME.png (1280×800) and SCENE-800x600-THEME.png. Do not build while it runs: it runs target/classes. Needs Xvfb and ImageMagick's import
# (apt-get install -y xvfb imagemagick libgtk-3-0).
#   scripts/screenshots.sh [SCENE...]        default: every view (the list below); any scene of ScreenshotMain by name
#   SIZES="800x600" THEMES=dark scripts/screenshots.sh runners
set -euo pipefail
cd "$(dirname "$0")/.."
scenes=("$@")
if [ ${#scenes[@]} -eq 0 ]; then
  # every view, and the drawer on a local runner (set RUNNERDESK_LOCAL_AS_ROOT=1 where this runs as root)
  scenes=(runners runners-empty detail terminal-drawer create-dialog palette timeline policies settings notifications)
fi
sizes=(${SIZES:-1280x800 800x600})
themes=(${THEMES:-light dark})
settle=${SETTLE_SECONDS:-2}
display=:${SCREENSHOT_DISPLAY:-97}

./mvnw -q test-compile
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/screenshot-cp.txt
cp="target/classes:target/test-classes:$(cat target/screenshot-cp.txt)"

runnerdesk() {
  java -cp "$cp" dev.runnerdesk.cli.Main "$@" > /dev/null
}

# a few runners in several states, as a list that has been in use looks
fill() {
  local data=$1
  runnerdesk runners create --data-dir "$data" --provider fake --profile locked --ttl 3600
  runnerdesk runners create --data-dir "$data" --provider fake --profile web_automation --ttl 7200
  local busy
  busy=$(java -cp "$cp" dev.runnerdesk.cli.Main runners create --data-dir "$data" --provider fake --profile full_vm_tools \
    --ttl 3600 --json | grep -o '"runner_id" *: *"[^"]*"' | cut -d'"' -f4)
  runnerdesk runners start --data-dir "$data" "$busy"
}

rm -rf target/screenshots
mkdir -p assets/screenshots target/screenshots
for size in "${sizes[@]}"; do
  Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp > /dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  for theme in "${themes[@]}"; do
    for scene in "${scenes[@]}"; do
      # one data directory per scene, shared by its sizes and themes (filled once)
      data=target/screenshots/data-$scene
      if [ ! -d "$data" ]; then
        mkdir -p "$data"
        [ "$scene" = runners-empty ] || fill "$data"
      fi
      suffix=$([ "$size" = 1280x800 ] && echo "" || echo "-$size")
      out="assets/screenshots/$scene$suffix-$theme.png"
      DISPLAY=$display java -Dprism.order=sw -Dscreenshot.size="$size" -cp "$cp" dev.runnerdesk.ui.ScreenshotMain \
        "$scene" "$theme" "$data" > "target/screenshots/$scene$suffix-$theme.log" 2>&1 &
      app=$!
      for _ in $(seq 240); do  # the app prints it once the scene is set and drawn (at most two minutes)
        grep -q screenshot-ready "target/screenshots/$scene$suffix-$theme.log" && break
        kill -0 "$app" 2>/dev/null || break
        sleep 0.5
      done
      sleep "$settle"  # the scenes' own timers (a verify, a selection) settle
      DISPLAY=$display import -window root "$out"
      kill "$app" 2>/dev/null || true
      wait "$app" 2>/dev/null || true
      echo "$out"
    done
  done
  kill $xvfb 2>/dev/null || true
  wait $xvfb 2>/dev/null || true
done
