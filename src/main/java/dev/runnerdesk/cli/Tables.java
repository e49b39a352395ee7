package dev.runnerdesk.cli;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.wire.Json;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables for people; {@code --json} is for scripts. */
final class Tables {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int DATA_WIDTH = 80;

    private Tables() {
    }

    static void runners(PrintWriter out, List<Runner> runners, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUNNER ID", "STATE", "PROVIDER", "PROFILE", "TTL LEFT", "CREATED", "SESSION"});
        for (Runner r : runners) {
            rows.add(new String[] {r.runnerId(), r.state().wireName(), r.providerType().wireName(), r.toolProfile().wireName(),
                    r.state().isFinal() ? "-" : duration(r.remaining(now)), TIME.format(r.createdAt()),
                    r.activeSession().map(Session::sessionId).orElse("-")});
        }
        print(out, rows);
    }

    static void events(PrintWriter out, List<AuditEvent> ascending) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SEQ", "TIME", "EVENT", "SESSION", "ACTOR", "DATA"});
        for (AuditEvent e : ascending) {
            rows.add(eventRow(e));
        }
        print(out, rows);
    }

    static String eventLine(AuditEvent e) {
        return String.join("  ", eventRow(e));
    }

    private static String[] eventRow(AuditEvent e) {
        String data = e.data().isEmpty() ? "" : Json.write(e.data());
        if (data.length() > DATA_WIDTH) {
            data = data.substring(0, DATA_WIDTH - 1) + "…";
        }
        return new String[] {Long.toString(e.seq()), TIME.format(e.timestamp()), e.eventType(),
                e.sessionId().orElse("-"), e.actor(), data};
    }

    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    static void print(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
