package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.store.StoredRunner;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runners whose sandbox no longer exists (a cloud sandbox killed, or its timeout ran out, while RunnerDesk was not
 * running or behind its back) become {@code failed} with the provider's reason, their session stopped: after a start,
 * every minute while running, and at once when a call to a runner's sandbox fails and the provider says it is gone.
 */
final class SandboxReconciler {
    private static final System.Logger LOG = System.getLogger(SandboxReconciler.class.getName());

    private final EmbeddedRuntime rt;
    private final Collection<SandboxProvider> providers;

    SandboxReconciler(EmbeddedRuntime rt, Collection<SandboxProvider> providers) {
        this.rt = rt;
        this.providers = providers;
    }

    /**
     * A provider call for {@code runnerId} (sandbox {@code ref}) failed with {@code error}: when the provider says the
     * sandbox is gone, the runner becomes failed and the error returned says so in full; else {@code error} itself.
     */
    RunnerException afterFailure(String runnerId, SandboxProvider provider, String ref, RunnerException error) {
        if (!(error instanceof RunnerException.Unavailable) || ref.isEmpty()) {
            return error;
        }
        String reason;
        try {
            reason = provider.missing(List.of(ref)).get(ref);
        } catch (RuntimeException e) {
            return error; // cannot tell: the call's own error stands
        }
        if (reason == null) {
            return error;
        }
        markFailed(runnerId, reason);
        return new RunnerException.Conflict("the sandbox of " + runnerId + " is gone (" + reason + "); the runner is now "
                + "failed — create a new one");
    }

    /** Returns how many runners were marked failed. */
    int reconcile() {
        int failed = 0;
        for (SandboxProvider provider : providers) {
            Map<String, String> live = rt.db.read(c -> rt.runners.liveSandboxes(c, provider.type()));
            if (live.isEmpty()) {
                continue;
            }
            Map<String, String> missing;
            try {
                missing = provider.missing(live.values());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not check the " + provider.type() + " sandboxes: " + e.getMessage());
                continue;
            }
            for (Map.Entry<String, String> runner : live.entrySet()) {
                String reason = missing.get(runner.getValue());
                if (reason != null && markFailed(runner.getKey(), reason)) {
                    failed++;
                }
            }
        }
        return failed;
    }

    /** Marks {@code runnerId} failed because its sandbox is gone; false when it had ended already. */
    boolean markFailed(String runnerId, String reason) {
        return rt.write(tx -> {
            Optional<StoredRunner> found = rt.runners.find(tx.c, runnerId);
            if (found.isEmpty() || found.get().runner().state().isFinal()) {
                return false;
            }
            rt.endActiveSession(tx, runnerId, "sandbox_gone", Principal.system());
            rt.runners.updateState(tx.c, runnerId, RunnerState.FAILED, Optional.of(reason));
            tx.event(EventTypes.RUNNER_FAILED, runnerId, null, Principal.system(), Map.of("reason", reason));
            return true;
        });
    }
}
