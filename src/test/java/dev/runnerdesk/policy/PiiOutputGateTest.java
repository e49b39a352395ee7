package dev.runnerdesk.policy;

import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command's output through the PII gate: redacted live, held back while a detector is on block. */
class PiiOutputGateTest {
    private final List<String> shown = new ArrayList<>();
    private final OutputListener downstream = (stream, chunk) -> shown.add(stream + ":" + chunk);

    @Test
    void withoutABlockingDetectorOutputIsRedactedLineByLineAsItComes() {
        PiiOutputGate gate = new PiiOutputGate(new PiiScanner(PiiSettings.defaults()), downstream);
        gate.input().onOutput(OutputListener.Stream.STDOUT, "mail ada@example.com\npart");
        assertEquals(List.of("STDOUT:mail [REDACTED:email]\n"), shown, "a whole line passes at once, the rest waits");
        PiiOutputGate.Verdict verdict = gate.close("mail ada@example.com\npart", "");
        assertEquals(List.of("STDOUT:mail [REDACTED:email]\n", "STDOUT:part"), shown);
        assertEquals("mail [REDACTED:email]\npart", verdict.stdout());
        assertEquals(Map.of(PiiDetector.EMAIL, 1), verdict.hits());
        assertFalse(verdict.withheld());
        assertEquals("redact", verdict.action());
    }

    @Test
    void withADetectorOnBlockNothingIsShownUntilTheWholeOutputWasChecked() {
        PiiSettings blockCards = PiiSettings.defaults().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK);
        PiiOutputGate gate = new PiiOutputGate(new PiiScanner(blockCards), downstream);
        gate.input().onOutput(OutputListener.Stream.STDOUT, "ok\n");
        gate.input().onOutput(OutputListener.Stream.STDERR, "warn ada@example.com\n");
        assertTrue(shown.isEmpty(), "held back: " + shown);
        PiiOutputGate.Verdict verdict = gate.close("ok\n", "warn ada@example.com\n");
        assertEquals(List.of("STDOUT:ok\n", "STDERR:warn [REDACTED:email]\n"), shown, "released once checked");
        assertFalse(verdict.withheld());
    }

    @Test
    void aBlockingMatchWithholdsTheWholeOutputAndNamesTheDetector() {
        PiiSettings blockCards = PiiSettings.defaults().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK);
        PiiOutputGate gate = new PiiOutputGate(new PiiScanner(blockCards), downstream);
        gate.input().onOutput(OutputListener.Stream.STDOUT, "card 4111 1111 1111 1111\n");
        PiiOutputGate.Verdict verdict = gate.close("card 4111 1111 1111 1111\n", "ada@example.com");
        assertTrue(shown.isEmpty(), "nothing of it is ever shown: " + shown);
        assertEquals("", verdict.stdout());
        assertEquals("", verdict.stderr());
        assertEquals(List.of(PiiDetector.CREDIT_CARD), verdict.blockedBy());
        assertEquals(Map.of(PiiDetector.EMAIL, 1, PiiDetector.CREDIT_CARD, 1), verdict.hits());
        assertEquals("block", verdict.action());
    }
}
