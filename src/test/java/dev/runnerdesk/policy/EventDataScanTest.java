package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PiiScanner#scanEventData}: every string of an event, however nested; what the program writes is kept. */
class EventDataScanTest {
    private static final PiiScanner REDACT = new PiiScanner(PiiSettings.defaults());
    private static final PiiScanner BLOCK;

    static {
        Map<PiiDetector, PiiAction> all = new EnumMap<>(PiiDetector.class);
        Arrays.stream(PiiDetector.values()).forEach(d -> all.put(d, PiiAction.BLOCK));
        BLOCK = new PiiScanner(new PiiSettings(all));
    }

    @Test
    void idsHashesTimestampsAndNumbersComeThroughUnchangedEvenWithEveryDetectorBlocking() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runner_id", "runner_0a1b2c3d4e5f");
        data.put("digits_id", "runner_412345678903");
        data.put("session_id", "sess_401288888888");
        data.put("command_id", "cmd_5555555555554444");
        data.put("hash", "4111111111111111c0ffee9b1d6f0a2e3c4d5e6f708192a3b4c5d6e7f8091a2b");
        data.put("key_fingerprint", "9f86d081");
        data.put("expires_at", "2026-12-02T09:00:00.123Z");
        data.put("epoch_ms", "1764662400123");
        data.put("recordings", List.of("recordings/sess_0a1b2c3d4e5f-1.cast"));
        data.put("client_address", "127.0.0.1");
        data.put("ipv6", "0:0:0:0:0:0:0:1");
        data.put("path", "/gateway/admin/runners/runner_0a1b2c3d4e5f/events");
        data.put("duration_ms", 1234567890123L);
        data.put("timed_out", false);
        data.put("nothing", null);
        data.put("detectors", Map.of("credit_card", 2, "email", 1));
        assertEquals(data, BLOCK.scanEventData(data, 1024));
        assertEquals(data, REDACT.scanEventData(data, 1024));
    }

    @Test
    void stringsInNestedMapsAndListsAreRedacted() {
        Map<String, Object> data = Map.of("argv", List.of("curl", "-u", "ada@example.com"),
                "new", Map.of("egress_allowlist", List.of("api.example.com", "4111 1111 1111 1111")));
        assertEquals(Map.of("argv", List.of("curl", "-u", "[REDACTED:email]"),
                        "new", Map.of("egress_allowlist", List.of("api.example.com", "[REDACTED:credit_card]"))),
                REDACT.scanEventData(data, 1024));
    }

    @Test
    void aBlockedValueIsWithheldWholeAndTheRestOfTheEventIsKept() {
        PiiScanner cardsBlocked = new PiiScanner(PiiSettings.defaults().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK));
        Map<String, Object> data = Map.of("image_ref", "ada@example.com/4111111111111111", "provider_type", "fake");
        assertEquals(Map.of("image_ref", "[WITHHELD:credit_card]", "provider_type", "fake"),
                cardsBlocked.scanEventData(data, 1024));
    }

    @Test
    void longStringsAreCutAfterTheScanSoACutNeverHidesAMatch() {
        String path = "/" + "x".repeat(249) + "/ada@example.com/" + "y".repeat(100);
        Map<String, Object> scanned = REDACT.scanEventData(Map.of("path", path), 256);
        assertEquals("/" + "x".repeat(249) + "/[REDA…(368 chars)", scanned.get("path"));
    }
}
