package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds personal data and secrets in text (exec output, event data) and applies the {@link PiiSettings}. Thread-safe
 * and without state between calls: one scanner serves every runner under the same policy.
 *
 * <p>Only detectors that are not {@code off} search, and each piece of text is claimed by at most one of them:
 * overlapping candidates are settled longest first, then leftmost, then in {@link PiiDetector} order, so nothing is
 * redacted twice. Turning a detector off therefore never hides what another one finds: with {@code email} off, the
 * GitHub token in {@code https://ghp_…@github.com} is still redacted as an {@code api_key}.
 */
public final class PiiScanner {
    private static final Comparator<PiiMatch> LONGEST_THEN_FIRST = Comparator.comparingInt(PiiMatch::length).reversed()
            .thenComparingInt(PiiMatch::start)
            .thenComparing(PiiMatch::detector);

    private final PiiSettings settings;
    private final Set<PiiDetector> searching;

    public PiiScanner(PiiSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        EnumSet<PiiDetector> on = EnumSet.noneOf(PiiDetector.class);
        settings.actions().forEach((detector, action) -> {
            if (action != PiiAction.OFF) {
                on.add(detector);
            }
        });
        this.searching = Collections.unmodifiableSet(on);
    }

    public PiiSettings settings() {
        return settings;
    }

    /** The text with every match of a {@code redact} or {@code block} detector replaced, what was found, and whether to block. */
    public ScanResult scan(String text) {
        Objects.requireNonNull(text, "text");
        if (searching.isEmpty()) {
            return new ScanResult(text, Map.of(), false);
        }
        if (text.indexOf(TerminalEscapes.ESC) < 0) {
            return scanPlain(text);
        }
        // a terminal escape sequence ends in a letter that would glue to what follows ("\e[0m4111…" is no card
        // after the "m"): the text between sequences is scanned piece by piece, the sequences are kept as they are
        StringBuilder redacted = new StringBuilder(text.length());
        Map<PiiDetector, Integer> hits = new EnumMap<>(PiiDetector.class);
        boolean blocked = false;
        int from = 0;
        while (from < text.length()) {
            int esc = text.indexOf(TerminalEscapes.ESC, from);
            int to = esc < 0 ? text.length() : esc;
            if (to > from) {
                ScanResult piece = scanPlain(text.substring(from, to));
                redacted.append(piece.text());
                piece.hits().forEach((d, n) -> hits.merge(d, n, Integer::sum));
                blocked |= piece.blocked();
            }
            if (esc < 0) {
                break;
            }
            int end = TerminalEscapes.end(text, esc, text.length());
            from = end < 0 ? esc + 1 : end;
            redacted.append(text, esc, from);
        }
        return new ScanResult(redacted.toString(), hits, blocked);
    }

    private ScanResult scanPlain(String text) {
        StringBuilder redacted = new StringBuilder(text.length());
        Map<PiiDetector, Integer> hits = new EnumMap<>(PiiDetector.class);
        boolean blocked = false;
        int copiedUpTo = 0;
        for (PiiMatch match : withoutOverlaps(PiiFinders.findAll(text, searching))) {
            PiiAction action = settings.action(match.detector());
            // a blocked text is redacted too, so whatever logs or stores it by mistake holds no secret
            blocked |= action == PiiAction.BLOCK;
            hits.merge(match.detector(), 1, Integer::sum);
            redacted.append(text, copiedUpTo, match.start()).append(marker(match.detector()));
            copiedUpTo = match.end();
        }
        if (copiedUpTo == 0) {
            return new ScanResult(text, hits, blocked);
        }
        redacted.append(text, copiedUpTo, text.length());
        return new ScanResult(redacted.toString(), hits, blocked);
    }

    /**
     * A copy of an audit event's data with every string value in it (in nested maps and lists too) scanned: matches
     * are redacted, and a value a {@code block} detector matched is replaced whole by a {@code [WITHHELD:<names>]}
     * marker, so the event is still written but holds nothing of it. Then each string is cut to {@code maxChars}
     * (after the scan, so a cut never hides part of a match from it). Map keys are the program's field names and are
     * kept; text without a match is kept as it is, so ids, hashes and timestamps come through unchanged.
     */
    public Map<String, Object> scanEventData(Map<String, Object> data, int maxChars) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((key, value) -> out.put(key, scanValue(value, maxChars)));
        return out;
    }

    private Object scanValue(Object value, int maxChars) {
        if (value instanceof String text) {
            ScanResult result = scan(text);
            String kept = result.blocked() ? withheld(result) : result.text();
            return kept.length() <= maxChars ? kept : kept.substring(0, maxChars) + "…(" + kept.length() + " chars)";
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((key, v) -> out.put(key, scanValue(v, maxChars)));
            return out;
        }
        if (value instanceof Collection<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(scanValue(v, maxChars)));
            return out;
        }
        return value;
    }

    /** What a whole value is replaced with when a {@code block} detector matched in it: {@code [WITHHELD:<names>]}. */
    private String withheld(ScanResult result) {
        return "[WITHHELD:" + String.join(",", result.hits().keySet().stream()
                .filter(d -> settings.action(d) == PiiAction.BLOCK).map(PiiDetector::wireName).toList()) + "]";
    }

    /** What a match of {@code detector} is replaced with: {@code [REDACTED:<wire name>]}. */
    public static String marker(PiiDetector detector) {
        return "[REDACTED:" + detector.wireName() + "]";
    }

    /** The candidates that win their text, in text order. */
    private static List<PiiMatch> withoutOverlaps(List<PiiMatch> candidates) {
        candidates.sort(LONGEST_THEN_FIRST);
        TreeMap<Integer, PiiMatch> kept = new TreeMap<>(); // by start; kept spans never overlap
        for (PiiMatch candidate : candidates) {
            Map.Entry<Integer, PiiMatch> before = kept.floorEntry(candidate.start());
            Map.Entry<Integer, PiiMatch> after = kept.ceilingEntry(candidate.start());
            boolean overlapsBefore = before != null && before.getValue().end() > candidate.start();
            boolean overlapsAfter = after != null && after.getKey() < candidate.end();
            if (!overlapsBefore && !overlapsAfter) {
                kept.put(candidate.start(), candidate);
            }
        }
        return new ArrayList<>(kept.values());
    }

    /**
     * @param text    the scanned text with each reported match replaced by its {@link #marker}
     * @param hits    how many matches each reported detector had; only detectors with at least one
     * @param blocked whether a {@code block} detector matched, in which case the output must be withheld
     */
    public record ScanResult(String text, Map<PiiDetector, Integer> hits, boolean blocked) {
        public ScanResult {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(hits, "hits");
            EnumMap<PiiDetector, Integer> copy = new EnumMap<>(PiiDetector.class);
            hits.forEach((detector, count) -> {
                if (count <= 0) {
                    throw new IllegalArgumentException(detector + " has " + count + " hits; only detectors that matched are listed");
                }
                copy.put(detector, count);
            });
            hits = Collections.unmodifiableMap(copy);
        }

        /** Whether nothing was found that the settings report. */
        public boolean clean() {
            return hits.isEmpty();
        }
    }
}
