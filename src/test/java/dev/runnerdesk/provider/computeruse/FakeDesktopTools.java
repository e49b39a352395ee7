package dev.runnerdesk.provider.computeruse;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Stand-ins for the desktop's X tools, to put first on PATH; each appends its name and arguments to a log.
 * {@code xdotool} answers {@code getmouselocation}, {@code scrot} writes a small real PNG, {@code Xvfb} brings
 * the display up a moment after it starts, {@code xdpyinfo} succeeds once it is up, {@code startxfce4} only
 * logs. {@link #failNextXdotool} makes the next xdotool call fail the way a dead display does.
 */
public final class FakeDesktopTools {
    private final Path bin;
    private final Path log;
    private final Path failFlag;
    private final byte[] png;

    public FakeDesktopTools(Path dir) {
        try {
            bin = Files.createDirectories(dir.resolve("bin"));
            log = dir.resolve("calls.log");
            Path displayUp = dir.resolve("display-up");
            failFlag = dir.resolve("fail-next");
            Files.createFile(log);
            png = png();
            Path fixture = dir.resolve("screen.png");
            Files.write(fixture, png);
            script("xdotool", """
                    #!/bin/bash
                    if [ -e '%s' ]; then rm -f '%s'; echo "Error: Can't open display: :0" >&2; exit 1; fi
                    printf '%%s\\n' "xdotool $*" >> '%s'
                    if [ "$1" = getmouselocation ]; then printf 'X=512\\nY=384\\nSCREEN=0\\nWINDOW=4194311\\n'; fi
                    exit 0
                    """.formatted(failFlag, failFlag, log));
            script("scrot", """
                    #!/bin/bash
                    printf '%%s\\n' "scrot $*" >> '%s'
                    for arg in "$@"; do out="$arg"; done
                    cp '%s' "$out"
                    """.formatted(log, fixture));
            script("Xvfb", """
                    #!/bin/bash
                    printf '%%s\\n' "Xvfb $*" >> '%s'
                    sleep 0.3
                    touch '%s'
                    """.formatted(log, displayUp));
            script("xdpyinfo", """
                    #!/bin/bash
                    printf '%%s\\n' "xdpyinfo $*" >> '%s'
                    [ -e '%s' ]
                    """.formatted(log, displayUp));
            script("startxfce4", """
                    #!/bin/bash
                    printf '%%s\\n' "startxfce4 $*" >> '%s'
                    """.formatted(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void script(String name, String text) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A 4×3 PNG that decodes. */
    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0x3366cc);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    public Path bin() {
        return bin;
    }

    /** The PNG every screenshot is. */
    public byte[] screenshotPng() {
        return png.clone();
    }

    /** Each call of a tool: its name and arguments, one line each. */
    public List<String> calls() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each xdotool call's arguments, one line each. */
    public List<String> xdotoolCalls() {
        return calls().stream().filter(c -> c.startsWith("xdotool ")).map(c -> c.substring("xdotool ".length())).toList();
    }

    public void failNextXdotool() {
        try {
            Files.writeString(failFlag, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
