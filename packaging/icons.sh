#!/usr/bin/env bash
# Regenerates every packaged icon from assets/icon.svg (ImageMagick; png2icns from Debian's icnsutils).
# The results are committed, so building an installer needs none of these tools.
set -euo pipefail
cd "$(dirname "$0")/.."
svg=assets/icon.svg
for size in 16 24 32 48 64 128 256 512; do
  convert -background none -density 384 "$svg" -resize ${size}x${size} "packaging/linux/icons/runnerdesk-${size}.png"
done
cp packaging/linux/icons/runnerdesk-512.png packaging/linux/RunnerDesk.png
convert packaging/linux/icons/runnerdesk-{16,24,32,48,64,256}.png packaging/windows/runnerdesk.ico
png2icns packaging/macos/runnerdesk.icns packaging/linux/icons/runnerdesk-{16,32,48,128,256,512}.png >/dev/null
cp packaging/linux/icons/runnerdesk-64.png src/main/resources/dev/runnerdesk/ui/icon-64.png
cp packaging/linux/icons/runnerdesk-256.png src/main/resources/dev/runnerdesk/ui/icon-256.png
echo "icons written"
