package dev.runnerdesk.core;

import java.time.Duration;

/**
 * How long one call to a gateway may take in all, its retries included: the range a person may choose (Settings, the
 * CLI's {@code --timeout-seconds}) and the defaults, kept once here.
 */
public final class GatewayDeadlines {
    /** The deadlines a person may choose, in seconds. */
    public static final LimitRange SECONDS = new LimitRange("timeout_seconds", 1, 600, "seconds");
    public static final Duration DEFAULT = Duration.ofSeconds(30);
    /** A connection test (Test, Save's check) waits this long at most, or less when the chosen deadline is shorter. */
    public static final Duration CONNECTION_TEST = Duration.ofSeconds(15);

    private GatewayDeadlines() {
    }

    /** The deadline of a connection test when calls are given {@code chosen}. */
    public static Duration forConnectionTest(Duration chosen) {
        return chosen.compareTo(CONNECTION_TEST) < 0 ? chosen : CONNECTION_TEST;
    }
}
