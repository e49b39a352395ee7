package dev.runnerdesk.ui.timeline;

import java.time.Duration;
import java.util.Optional;

/** The time range quick picks of the timeline; {@link #CUSTOM} uses the model's from/to. */
public enum TimeRange {
    ANY("Any time", null, ""),
    LAST_5_MIN("Last 5 min", Duration.ofMinutes(5), "last 5 min"),
    LAST_HOUR("Last 1 h", Duration.ofHours(1), "last 1 h"),
    LAST_DAY("Last 24 h", Duration.ofHours(24), "last 24 h"),
    LAST_WEEK("Last 7 days", Duration.ofDays(7), "last 7 days"),
    LAST_MONTH("Last 30 days", Duration.ofDays(30), "last 30 days"),
    CUSTOM("Custom…", null, "custom");

    private final String label;
    private final Duration span;
    private final String phrase;

    TimeRange(String label, Duration span, String phrase) {
        this.label = label;
        this.span = span;
        this.phrase = phrase;
    }

    /** How far back a quick pick reaches; empty for any time and custom. */
    public Optional<Duration> span() {
        return Optional.ofNullable(span);
    }

    /** How the query line says it. */
    String phrase() {
        return phrase;
    }

    @Override
    public String toString() {
        return label;
    }
}
