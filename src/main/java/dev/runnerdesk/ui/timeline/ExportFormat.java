package dev.runnerdesk.ui.timeline;

/** What the timeline exports to; both carry the hashes. */
public enum ExportFormat {
    JSON_LINES("JSON Lines", "*.jsonl"),
    CSV("CSV", "*.csv");

    final String label;
    final String pattern;

    ExportFormat(String label, String pattern) {
        this.label = label;
        this.pattern = pattern;
    }
}
