package dev.runnerdesk.store;

import dev.runnerdesk.core.Runner;

import java.util.Optional;

/** A runner with what only the runtime needs: the provider's handle of its sandbox, and who created it. */
public record StoredRunner(Runner runner, Optional<String> providerRef, String createdBy) {
}
