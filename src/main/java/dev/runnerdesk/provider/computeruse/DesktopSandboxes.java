package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.provider.SandboxSpec;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where the desktops of computer-use runners live (E2B {@code desktop} sandboxes): each is created with its
 * display already running, and is found again by its reference.
 */
public interface DesktopSandboxes extends AutoCloseable {
    /** Why no desktop can be created now (e.g. no key), or empty when they can. */
    Optional<String> unavailableReason();

    /** Creates a sandbox and boots its desktop; returns its reference. */
    String create(SandboxSpec spec);

    /** The desktop of the sandbox {@code ref}. */
    Desktop desktop(String ref);

    /** The sandbox must live {@code seconds} more from now. */
    default void extend(String ref, int seconds) {
    }

    /** Of {@code refs}, those whose sandbox is gone, with the reason. */
    default Map<String, String> missing(Collection<String> refs) {
        return Map.of();
    }

    /** Ends the sandbox; idempotent. */
    void destroy(String ref);

    @Override
    default void close() {
    }
}
