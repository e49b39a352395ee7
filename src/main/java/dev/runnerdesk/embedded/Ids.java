package dev.runnerdesk.embedded;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids of the API's shapes: {@code runner_<12 hex>}, {@code sess_<12 hex>}, {@code cmd_<12 hex>}. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String runner() {
        return "runner_" + hex12();
    }

    static String session() {
        return "sess_" + hex12();
    }

    static String command() {
        return "cmd_" + hex12();
    }

    private static String hex12() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
