package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An audit event as text: pretty JSON for the detail pane, one JSON line or CSV row for export. */
final class EventFormats {
    static final String CSV_HEADER = "seq,event_type,timestamp,runner_id,session_id,actor,data,prev_hash,hash";

    private EventFormats() {
    }

    /** The event's fields in the gateway's names (absent optionals left out, as in the canonical form). */
    static Map<String, Object> fields(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("event_type", e.eventType());
        m.put("timestamp", e.timestamp().toString());
        e.runnerId().ifPresent(id -> m.put("runner_id", id));
        e.sessionId().ifPresent(id -> m.put("session_id", id));
        m.put("actor", e.actor());
        m.put("data", e.data());
        m.put("prev_hash", e.prevHash());
        m.put("hash", e.hash());
        return m;
    }

    static String jsonLine(AuditEvent e) {
        StringBuilder out = new StringBuilder(256);
        AuditChain.writeCanonical(out, fields(e));
        return out.toString();
    }

    static String compactJson(Object value) {
        StringBuilder out = new StringBuilder(128);
        AuditChain.writeCanonical(out, value);
        return out.toString();
    }

    static String csvRow(AuditEvent e) {
        return String.join(",", Long.toString(e.seq()), csv(e.eventType()), csv(e.timestamp().toString()),
                csv(e.runnerId().orElse("")), csv(e.sessionId().orElse("")), csv(e.actor()), csv(compactJson(e.data())),
                csv(e.prevHash()), csv(e.hash()));
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** Indented JSON (keys in their stored order) for people to read. */
    static String pretty(Object value) {
        StringBuilder out = new StringBuilder();
        pretty(out, value, 0);
        return out.toString();
    }

    private static void pretty(StringBuilder out, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                indent(out, depth + 1);
                AuditChain.writeCanonical(out, String.valueOf(e.getKey()));
                out.append(": ");
                pretty(out, e.getValue(), depth + 1);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                indent(out, depth + 1);
                pretty(out, list.get(i), depth + 1);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append(']');
        } else {
            AuditChain.writeCanonical(out, value);
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    /** One line summarising the data, for the table. */
    static String summary(AuditEvent e) {
        Map<String, Object> d = e.data();
        if (d.isEmpty()) {
            return "";
        }
        Object argv = d.get("argv");
        StringBuilder s = new StringBuilder();
        if (argv instanceof List<?> l) {
            s.append(String.join(" ", l.stream().map(String::valueOf).toList()));
        }
        for (Map.Entry<String, Object> entry : d.entrySet()) {
            if (entry.getKey().equals("argv")) {
                continue;
            }
            if (s.length() > 0) {
                s.append("  ");
            }
            s.append(entry.getKey()).append('=');
            Object v = entry.getValue();
            s.append(v instanceof String str ? str : compactJson(v));
            if (s.length() > 300) {
                break;
            }
        }
        return s.length() > 300 ? s.substring(0, 300) + "…" : s.toString();
    }
}
