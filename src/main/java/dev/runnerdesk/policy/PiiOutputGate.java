package dev.runnerdesk.policy;

import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A command's output on its way to the caller and live subscribers, through the PII scanner: redacted as it is
 * produced; with a detector on {@code block}, held back until the whole output was checked, then released, or
 * withheld when a blocking detector matched. One gate per command.
 */
public final class PiiOutputGate {
    private final PiiScanner scanner;
    private final OutputListener downstream;
    private final boolean hold;
    private final RedactingOutput live;

    public PiiOutputGate(PiiScanner scanner, OutputListener downstream) {
        this.scanner = scanner;
        this.downstream = downstream;
        // with a detector on block, nothing is shown before the whole output was checked
        this.hold = scanner.settings().actions().containsValue(PiiAction.BLOCK);
        this.live = new RedactingOutput(scanner, hold ? OutputListener.NONE : downstream);
    }

    /** Where the provider writes the output as it is produced. */
    public OutputListener input() {
        return live;
    }

    /**
     * The command ended with this whole output: passes on what the live redaction still held, scans the whole
     * output, and releases held output unless it is withheld. Returns what the caller may see.
     */
    public Verdict close(String stdout, String stderr) {
        live.flush();
        PiiScanner.ScanResult out = scanner.scan(stdout);
        PiiScanner.ScanResult err = scanner.scan(stderr);
        boolean withheld = out.blocked() || err.blocked();
        Map<PiiDetector, Integer> hits = new EnumMap<>(PiiDetector.class);
        out.hits().forEach((d, n) -> hits.merge(d, n, Integer::sum));
        err.hits().forEach((d, n) -> hits.merge(d, n, Integer::sum));
        List<PiiDetector> blockedBy = hits.keySet().stream().filter(d -> scanner.settings().action(d) == PiiAction.BLOCK).toList();
        Verdict verdict = new Verdict(withheld ? "" : out.text(), withheld ? "" : err.text(), hits, withheld ? blockedBy : List.of());
        if (hold && !withheld) {
            if (!verdict.stdout().isEmpty()) {
                downstream.onOutput(OutputListener.Stream.STDOUT, verdict.stdout());
            }
            if (!verdict.stderr().isEmpty()) {
                downstream.onOutput(OutputListener.Stream.STDERR, verdict.stderr());
            }
        }
        return verdict;
    }

    /**
     * What may be shown of a command's output (redacted; empty when withheld), how often each detector matched, and
     * the detectors on block that withheld it (empty when nothing was withheld).
     */
    public record Verdict(String stdout, String stderr, Map<PiiDetector, Integer> hits, List<PiiDetector> blockedBy) {
        public Verdict {
            Map<PiiDetector, Integer> inOrder = new EnumMap<>(PiiDetector.class);
            inOrder.putAll(hits);
            hits = Collections.unmodifiableMap(inOrder);
            blockedBy = List.copyOf(blockedBy);
        }

        public boolean withheld() {
            return !blockedBy.isEmpty();
        }

        /** The action a {@code pii.detected} event names. */
        public String action() {
            return withheld() ? "block" : "redact";
        }
    }
}
