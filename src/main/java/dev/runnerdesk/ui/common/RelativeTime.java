package dev.runnerdesk.ui.common;

import java.time.Duration;
import java.time.Instant;

/** How long ago something happened, in the few words a badge has room for. */
public final class RelativeTime {
    private RelativeTime() {
    }

    /** "just now", "2 min ago", "3 h ago", "4 days ago"; a time ahead of {@code now} (clock skew) is "just now". */
    public static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.toSeconds() < 60) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }
}
