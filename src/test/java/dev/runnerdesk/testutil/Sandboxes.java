package dev.runnerdesk.testutil;

import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerService;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local sandbox in tests: required in CI (`.ci/run` installs bubblewrap); elsewhere its tests are skipped without it. */
public final class Sandboxes {
    private Sandboxes() {
    }

    public static void require(RunnerService service) {
        ProviderInfo local = service.providers().stream().filter(p -> p.type() == ProviderType.LOCAL).findFirst().orElseThrow();
        if (System.getenv("CI") != null) {
            assertTrue(local.available(), () -> "CI must have bubblewrap: " + local.unavailableReason().orElse(""));
        }
        Assumptions.assumeTrue(local.available(), () -> local.unavailableReason().orElse("local provider unavailable"));
    }
}
