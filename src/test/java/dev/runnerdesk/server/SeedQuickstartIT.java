package dev.runnerdesk.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's six curl commands, verbatim but for the ids, against the packaged jar's `serve --api-key
 * cm_sk_your_key_here` on port 8002 (scripts/seed-quickstart.sh). Runs in `verify`, after `package`.
 */
class SeedQuickstartIT {
    @Test
    void theSeedsCurlQuickstartRunsAgainstServe() throws IOException, InterruptedException {
        Path script = Path.of("scripts", "seed-quickstart.sh");
        assertTrue(Files.isRegularFile(script), "run from the project directory");
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("seed quickstart: all six commands answered as documented"), output);
    }
}
