package dev.runnerdesk.ui.screen;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code computer.action} event as the screen views read it: the step, the action, where it pointed,
 * what it typed, and the screenshot taken after it. Fields a provider left out are empty, never guessed.
 */
public record ComputerAction(long seq, String runnerId, String sessionId, Instant at, Optional<Integer> step, String action,
                             Optional<Point> coordinate, Optional<String> text, Optional<String> screenshot,
                             Map<String, Object> data) {
    /** A point on the screen, in the screenshot's pixels. */
    public record Point(int x, int y) {
        @Override
        public String toString() {
            return "(" + x + ", " + y + ")";
        }
    }

    /** The action of a {@code computer.action} event of a runner; empty for any other event. */
    public static Optional<ComputerAction> of(AuditEvent e) {
        if (!EventTypes.COMPUTER_ACTION.equals(e.eventType()) || e.runnerId().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> d = e.data();
        return Optional.of(new ComputerAction(e.seq(), e.runnerId().get(), e.sessionId().orElse(""), e.timestamp(),
                integer(d.get("step")), d.get("action") instanceof String a && !a.isBlank() ? a : "action",
                point(d.get("coordinate")), d.get("text") instanceof String t ? Optional.of(t) : Optional.empty(),
                d.get("screenshot") instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty(), d));
    }

    /**
     * What happened, in a line: {@code left_click at (512, 384)}, {@code type "hello"}, {@code key "ctrl+s"},
     * {@code left_click_drag from (1, 2) to (3, 4)}, {@code scroll down 3 at (5, 6)}, with a held key and a failure.
     */
    public String caption() {
        StringBuilder s = new StringBuilder(action);
        if (data.get("scroll_direction") instanceof String direction) {
            s.append(' ').append(direction);
            if (data.get("scroll_amount") instanceof Number n) {
                s.append(' ').append(n.intValue());
            }
        }
        point(data.get("start_coordinate")).ifPresent(p -> s.append(" from ").append(p));
        coordinate.ifPresent(p -> s.append(data.containsKey("start_coordinate") ? " to " : " at ").append(p));
        text.ifPresent(t -> s.append(' ').append(quoted(t)));
        if (data.get("key") instanceof String key && !key.isBlank()) {
            s.append(" with ").append(key);
        }
        if (data.get("duration") instanceof Number seconds) {
            s.append(' ').append(seconds).append(" s");
        }
        if (data.get("error") instanceof String error && !error.isBlank()) {
            s.append(" — failed: ").append(error);
        }
        return s.toString();
    }

    /** Where a drag started ({@code left_click_drag}), when the provider recorded it. */
    public Optional<Point> startCoordinate() {
        return point(data.get("start_coordinate"));
    }

    /** The caption with the step in front, when the provider numbered it. */
    public String stepCaption() {
        return step.map(n -> "Step " + n + " · ").orElse("") + caption();
    }

    private static String quoted(String t) {
        String oneLine = t.replace("\r", "").replace("\n", "⏎");
        return "“" + (oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine) + "”";
    }

    private static Optional<Integer> integer(Object v) {
        return v instanceof Number n ? Optional.of(n.intValue()) : Optional.empty();
    }

    private static Optional<Point> point(Object v) {
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number x && l.get(1) instanceof Number y) {
            return Optional.of(new Point(x.intValue(), y.intValue()));
        }
        return Optional.empty();
    }
}
