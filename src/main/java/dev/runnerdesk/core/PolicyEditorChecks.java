package dev.runnerdesk.core;

import java.util.Optional;

/** What the policy editor checks as input is typed, without a round trip to the backend. */
public interface PolicyEditorChecks {
    /** What {@code sample} becomes under {@code pii}: redacted, or a note that it would be withheld. */
    String previewPii(PiiSettings pii, String sample);

    /** Why an egress allowlist entry is not valid, or empty when it is. */
    Optional<String> egressEntryProblem(String entry);
}
