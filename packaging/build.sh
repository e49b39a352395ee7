#!/usr/bin/env bash
# Builds RunnerDesk's installers for the OS this runs on, with the JDK's jpackage:
#   Linux: .deb and .rpm (rpm needs rpmbuild: apt-get install rpm) · macOS: .dmg and .pkg · Windows: .msi and .exe (WiX)
# Steps: an app image with a slim runtime (only the modules the app uses, JavaFX from its jars),
# a training run that records an AppCDS archive for a faster first window (needs a display; skipped with
# NO_APPCDS=1), then the installers from that image. Output: target/dist/.
# Usage: packaging/build.sh [TYPE...]   (default: every type of this OS)
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n '0,/<version>/s:.*<version>\([^<]*\)</version>.*:\1:p' pom.xml)
jar="runnerdesk-${version}.jar"
[ -f "target/$jar" ] && [ -d target/lib ] || ./mvnw -q -B package -DskipTests

modules=java.base,java.desktop,java.xml,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.jfr,jdk.unsupported,jdk.crypto.ec,jdk.charsets,jdk.httpserver,jdk.security.auth
work=target/jpackage
rm -rf "$work" target/dist
mkdir -p "$work/input" target/dist
cp "target/$jar" "$work/input/"
cp target/lib/*.jar "$work/input/"

case "$(uname -s)" in
  Linux*) os=linux; types=${*:-deb rpm}; icon=packaging/linux/RunnerDesk.png ;;
  Darwin*) os=macos; types=${*:-dmg pkg}; icon=packaging/macos/runnerdesk.icns ;;
  MINGW*|MSYS*|CYGWIN*) os=windows; types=${*:-msi exe}; icon=packaging/windows/runnerdesk.ico ;;
  *) echo "unsupported OS: $(uname -s)" >&2; exit 2 ;;
esac

# one platform's installer carries one platform's native libraries
machine=$(uname -m)
case "$os-$machine" in
  linux-x86_64|linux-amd64) sq=Linux/x86_64; pt=linux/x86-64; jn=linux-x86-64 ;;
  linux-aarch64|linux-arm64) sq=Linux/aarch64; pt=linux/aarch64; jn=linux-aarch64 ;;
  macos-arm64) sq=Mac/aarch64; pt=darwin; jn=darwin-aarch64 ;;
  macos-*) sq=Mac/x86_64; pt=darwin; jn=darwin-x86-64 ;;
  windows-*) sq=Windows/x86_64; pt=win/x86-64; jn=win32-x86-64 ;;
esac
slim() { java packaging/SlimJar.java "$@"; }
slim "$work/input/$(cd "$work/input" && ls sqlite-jdbc-*.jar)" 'org/sqlite/native/.+' "org/sqlite/native/($sq/.*|${sq%%/*}/?)"
slim "$work/input/$(cd "$work/input" && ls pty4j-*.jar)" 'resources/com/pty4j/native/.+' "resources/com/pty4j/native/(${pt}(/.*)?|${pt%%/*}/?)"
slim "$work/input/$(cd "$work/input" && ls jna-[0-9]*.jar)" 'com/sun/jna/(aix|darwin|dragonflybsd|freebsd|linux|openbsd|sunos|win32)-[^/]+/.*' "com/sun/jna/$jn/.*"

# jpackage wants a plain version number (macOS: no leading 0)
app_version=${version%%-*}
[ "$os" = macos ] && [[ "$app_version" == 0.* ]] && app_version="1${app_version#0}"

echo "== app image ($os, runtime modules: $modules)"
jpackage --type app-image --name RunnerDesk --app-version "$app_version" \
  --vendor "RunnerDesk" --description "Desktop console for managed runners" \
  --input "$work/input" --main-jar "$jar" --main-class dev.runnerdesk.cli.Main \
  --add-modules "$modules" \
  --jlink-options '--strip-debug --no-header-files --no-man-pages --generate-cds-archive' \
  --java-options '-XX:SharedArchiveFile=$APPDIR/runnerdesk.jsa' --java-options '-Xshare:auto' \
  --icon "$icon" --dest "$work/image"

case "$os" in
  macos) image="$work/image/RunnerDesk.app"; appdir="$image/Contents/app"; launcher="$image/Contents/MacOS/RunnerDesk"
         runtime="$image/Contents/runtime/Contents/Home" ;;
  windows) image="$work/image/RunnerDesk"; appdir="$image/app"; launcher="$image/RunnerDesk.exe"; runtime="$image/runtime" ;;
  *) image="$work/image/RunnerDesk"; appdir="$image/lib/app"; launcher="$image/bin/RunnerDesk"; runtime="$image/lib/runtime" ;;
esac
# the CDS archive for -XX:-UseCompressedOops is never used by this app (heaps stay under 32 GB)
find "$runtime" -name 'classes_nocoops.jsa' -delete

# An AppCDS archive only loads with the class path it was made with, so the training run happens where
# the installer puts the app (/opt/runnerdesk on Linux, /Applications on macOS): the image is copied there
# for the run, which needs write access to that place; elsewhere it is skipped with a warning.
case "$os" in
  linux) installed=/opt/runnerdesk ;;
  macos) installed=/Applications/RunnerDesk.app ;;
  *) installed= ;;
esac
# the jars get one fixed time (the commit's), which the archive records and the Linux post-install sets again
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
find "$appdir" -type f -name '*.jar' -exec touch -h -d "@$epoch" {} +
if [ "${NO_APPCDS:-}" != 1 ] && [ -n "$installed" ] && [ ! -e "$installed" ] && mkdir -p "$(dirname "$installed")" 2>/dev/null \
    && cp -a "$image" "$installed" 2>/dev/null; then
  echo "== AppCDS training run in $installed (opens the window once)"
  rel=${appdir#"$image"/}
  cfg="$installed/$rel/RunnerDesk.cfg"
  # for this one run the launcher's options dump the classes it loaded instead of reading the archive
  sed -i.bak 's/-XX:SharedArchiveFile=/-XX:ArchiveClassesAtExit=/' "$cfg" && rm -f "$cfg.bak"
  if "$installed/${launcher#"$image"/}" --smoke && [ -f "$installed/$rel/runnerdesk.jsa" ]; then
    cp "$installed/$rel/runnerdesk.jsa" "$appdir/"
    ls -l "$appdir/runnerdesk.jsa"
  else
    echo "warning: the training run failed; the installers start without an AppCDS archive" >&2
  fi
  rm -rf "$installed"
else
  echo "warning: no AppCDS archive (NO_APPCDS set, or $installed exists or is not writable)" >&2
fi

for type in $types; do
  echo "== $type"
  common=(--type "$type" --app-image "$image" --name RunnerDesk --app-version "$app_version" --vendor "RunnerDesk"
          --description "Desktop console for managed runners" --license-file LICENSE --dest target/dist)
  case "$os" in
    linux)
      resources="$work/resources-linux"
      rm -rf "$resources" && cp -r packaging/linux "$resources"
      sed -i "s/CDS_EPOCH/$epoch/" "$resources/postinst"
      jpackage "${common[@]}" --install-dir /opt --resource-dir "$resources" \
        --linux-package-name runnerdesk --linux-app-category Development --linux-menu-group "Development;System" \
        --linux-shortcut --linux-package-deps libgtk-3-0 \
        --linux-rpm-license-type "ASL 2.0" ;;
    macos)
      jpackage "${common[@]}" --resource-dir packaging/macos --mac-package-identifier dev.runnerdesk.app \
        --mac-package-name RunnerDesk --mac-app-category public.app-category.developer-tools ;;
    windows)
      jpackage "${common[@]}" --resource-dir packaging/windows --win-upgrade-uuid 6c1f4a3e-3b7d-4e57-9f0e-2d8a1b5c9e41 \
        --win-menu --win-menu-group RunnerDesk --win-shortcut --win-dir-chooser --win-per-user-install ;;
  esac
done
ls -l target/dist
