package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.PolicyEditorChecks;
import dev.runnerdesk.core.RunnerException;

import java.util.Optional;

/**
 * The policy editor's checks, run in this process with this package's PII scanner and egress parser (no round trip
 * to the backend); the composition root hands them to the UI as the core interface.
 */
public final class InProcessPolicyEditorChecks implements PolicyEditorChecks {
    @Override
    public String previewPii(PiiSettings pii, String sample) {
        PiiScanner.ScanResult result = new PiiScanner(pii).scan(sample);
        return result.blocked() ? "[output withheld: a detector on block matched]\n" + result.text() : result.text();
    }

    @Override
    public Optional<String> egressEntryProblem(String entry) {
        try {
            EgressRule.parse(entry);
            return Optional.empty();
        } catch (RunnerException.InvalidRequest e) {
            return Optional.of(e.getMessage());
        }
    }
}
