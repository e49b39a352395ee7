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
 * Stand-ins for the desktop's X tools, to put first on PATH: {@code xdotool} appends its arguments to a log
 * (and answers {@code getmouselocation}), {@code scrot} writes a small real PNG. {@link #failNextXdotool}
 * makes the next xdotool call fail the way a dead display does.
 */
final class FakeDesktopTools {
    private final Path bin;
    private final Path log;
    private final Path failFlag;
    private final byte[] png;

    FakeDesktopTools(Path dir) {
        try {
            bin = Files.createDirectories(dir.resolve("bin"));
            log = dir.resolve("xdotool.log");
            failFlag = dir.resolve("fail-next");
            Files.createFile(log);
            png = png();
            Path fixture = dir.resolve("screen.png");
            Files.write(fixture, png);
            script("xdotool", """
                    #!/bin/bash
                    if [ -e '%s' ]; then rm -f '%s'; echo "Error: Can't open display: :0" >&2; exit 1; fi
                    printf '%%s\\n' "$*" >> '%s'
                    if [ "$1" = getmouselocation ]; then printf 'X=512\\nY=384\\nSCREEN=0\\nWINDOW=4194311\\n'; fi
                    exit 0
                    """.formatted(failFlag, failFlag, log));
            script("scrot", """
                    #!/bin/bash
                    for arg in "$@"; do out="$arg"; done
                    cp '%s' "$out"
                    """.formatted(fixture));
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

    Path bin() {
        return bin;
    }

    /** The PNG every screenshot is. */
    byte[] screenshotPng() {
        return png.clone();
    }

    /** Each xdotool call's arguments, one line each. */
    List<String> xdotoolCalls() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void failNextXdotool() {
        try {
            Files.writeString(failFlag, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
