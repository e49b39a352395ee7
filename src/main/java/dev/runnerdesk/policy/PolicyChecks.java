package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.PolicyTools;
import dev.runnerdesk.core.RunnerException;

import java.util.Optional;

/** The policy package's checks, handed to the UI through core. */
public final class PolicyChecks implements PolicyTools {
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
