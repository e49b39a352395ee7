package dev.runnerdesk.store;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A process killed with SIGKILL mid-write loses nothing it reported written, and leaves a valid chain. */
class CrashDurabilityTest {
    @TempDir
    Path dataDir;

    @Test
    void eventsReportedWrittenSurviveAKill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastReported = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int lines = 0;
            while ((line = out.readLine()) != null && lines++ < 40) {
                lastReported = Long.parseLong(line.substring("written ".length()));
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(lastReported >= 40 * 4, "the writer ran: " + lastReported);
        try (EmbeddedRuntime reopened = EmbeddedRuntimes.open(dataDir)) {
            long stored = reopened.serviceFor(Principal.localUser()).events(EventQuery.all(1)).total();
            assertTrue(stored >= lastReported, "stored " + stored + " < reported " + lastReported);
            ChainVerification result = reopened.verifyAuditChain();
            assertEquals(new ChainVerification.Verified(1, stored, stored), result);
        }
    }
}
