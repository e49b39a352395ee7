package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiDetector;

/** Where a detector found something: {@code text.substring(start, end)}. Never leaves this package with its text. */
record PiiMatch(int start, int end, PiiDetector detector) {
    PiiMatch {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative span " + start + ".." + end);
        }
    }

    int length() {
        return end - start;
    }
}
