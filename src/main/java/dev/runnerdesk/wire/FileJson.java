package dev.runnerdesk.wire;

import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.MetricsSample;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway API's JSON of workspace entries and metrics samples (issue 18), written by {@code serve} and read by
 * the gateway client and the CLI's {@code --json}: snake_case names, times in RFC 3339 (to the nanosecond, so a
 * sample's {@code at} given back as {@code since} excludes that sample), -1 for a figure that is not known.
 */
public final class FileJson {
    private FileJson() {
    }

    public static Map<String, Object> entry(FileEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", e.path());
        m.put("name", e.name());
        m.put("kind", e.kind().wireName());
        m.put("size", e.size());
        m.put("mode", e.mode());
        m.put("modified", e.modified().toString());
        m.put("link_target", e.linkTarget().orElse(null));
        return m;
    }

    /**
     * An entry as the gateway sent it; {@link IllegalArgumentException} saying which field is missing or malformed.
     * An unknown {@code kind} (of a newer gateway) reads as {@code other}.
     */
    public static FileEntry readEntry(Map<String, Object> m) {
        String path = string(m, "path");
        String name = m.get("name") instanceof String n ? n : path.substring(path.lastIndexOf('/') + 1);
        FileEntry.Kind kind;
        try {
            kind = FileEntry.Kind.fromWire(string(m, "kind"));
        } catch (RuntimeException unknown) {
            kind = FileEntry.Kind.OTHER;
        }
        long size = Math.max(0, number(m, "size", 0).longValue());
        int mode = number(m, "mode", 0).intValue();
        Instant modified = m.get("modified") == null ? Instant.EPOCH : instant(m, "modified");
        Optional<String> target = m.get("link_target") instanceof String t ? Optional.of(t) : Optional.empty();
        return new FileEntry(path, name, kind, size, mode, modified, target);
    }

    public static Map<String, Object> sample(MetricsSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", s.at().toString());
        m.put("cpu_percent", s.cpuPercent());
        m.put("memory_bytes", s.memoryBytes());
        m.put("memory_limit_bytes", s.memoryLimitBytes());
        m.put("disk_bytes", s.diskBytes());
        m.put("disk_limit_bytes", s.diskLimitBytes());
        m.put("processes", s.processes());
        m.put("network_rx_bytes", s.networkRxBytes());
        m.put("network_tx_bytes", s.networkTxBytes());
        m.put("source", s.source());
        return m;
    }

    /** A sample as the gateway sent it; a figure it left out is unknown (-1). */
    public static MetricsSample readSample(Map<String, Object> m) {
        long unknown = MetricsSample.UNKNOWN;
        return new MetricsSample(instant(m, "at"), number(m, "cpu_percent", unknown).doubleValue(),
                number(m, "memory_bytes", unknown).longValue(), number(m, "memory_limit_bytes", unknown).longValue(),
                number(m, "disk_bytes", unknown).longValue(), number(m, "disk_limit_bytes", unknown).longValue(),
                number(m, "processes", unknown).intValue(), number(m, "network_rx_bytes", unknown).longValue(),
                number(m, "network_tx_bytes", unknown).longValue(),
                m.get("source") instanceof String s ? s : "unknown");
    }

    private static String string(Map<String, Object> m, String field) {
        if (m.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(field + " is missing or not a string");
    }

    private static Number number(Map<String, Object> m, String field, long absent) {
        Object v = m.get(field);
        if (v == null) {
            return absent;
        }
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException(field + " is not a number");
    }

    private static Instant instant(Map<String, Object> m, String field) {
        try {
            return Instant.parse(string(m, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an RFC 3339 time");
        }
    }
}
