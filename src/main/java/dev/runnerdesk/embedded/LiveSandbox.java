package dev.runnerdesk.embedded;

import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.store.StoredRunner;

import java.util.function.Supplier;

/**
 * The sandbox of a runner that is alive, with its profile's policy as stored now, for the calls that reach into it
 * (workspace files, metrics). A runner that has ended, or is still being made, has none: Conflict.
 */
record LiveSandbox(String runnerId, ProfilePolicy policy, SandboxProvider provider, String ref) {

    /** {@code what} names what the caller wanted ("workspace files", "metrics") for the Conflict's message. */
    static LiveSandbox find(EmbeddedRuntime rt, RunnerLookup lookup, String runnerId, String what) {
        record Found(StoredRunner stored, ProfilePolicy policy) {
        }
        Found found = rt.db.snapshotRead(c -> {
            StoredRunner stored = lookup.runner(c, runnerId);
            return new Found(stored, rt.policies.load(c, EmbeddedRuntime.defaultPolicies()).profile(stored.runner().toolProfile()));
        });
        Runner runner = found.stored().runner();
        if (runner.state().isFinal()) {
            throw new Conflict("runner " + runnerId + " is " + runner.state().wireName() + "; its sandbox is gone, and its "
                    + what + " with it");
        }
        if (runner.state() == RunnerState.PROVISIONING || found.stored().providerRef().isEmpty()) {
            throw new Conflict("runner " + runnerId + " is still provisioning; its " + what + " are there once it is ready");
        }
        SandboxProvider provider = rt.provider(runner.providerType()).orElseThrow(() -> new Unavailable("the "
                + runner.providerType().wireName() + " provider is not part of this build"));
        return new LiveSandbox(runnerId, found.policy(), provider, found.stored().providerRef().get());
    }

    /** Calls the provider; a failure that means the sandbox is gone fails the runner and says so. */
    <T> T call(EmbeddedRuntime rt, Supplier<T> work) {
        try {
            return work.get();
        } catch (RunnerException e) {
            throw rt.afterSandboxFailure(runnerId, provider, ref, e);
        }
    }
}
