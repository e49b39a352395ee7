package dev.runnerdesk.provider;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The SPI a sandbox technology implements for the embedded runtime. Policy checks (role, allowed
 * commands, ranges) are done before a provider is called; a provider enforces what only the sandbox
 * can (network, filesystem, timeouts, output caps). Failures are {@link RunnerException}s.
 */
public interface SandboxProvider extends AutoCloseable {
    /** How a provider reports what happens inside a sandbox (e.g. blocked egress) to the audit trail. */
    @FunctionalInterface
    interface Events {
        /** Appends an event by the sandbox; {@code sessionId} may be null. */
        void record(String runnerId, String sessionId, String eventType, Map<String, Object> data);
    }

    ProviderType type();

    /** Called once by the runtime before any other call. */
    default void attach(Events events) {
    }

    /** Whether this provider can create sandboxes here; cheap enough to call for every dialog. */
    ProviderInfo probe();

    /** How a sandbox of each profile is confined and limited here, in words for the runner's detail; empty: not said. */
    default Map<ToolProfile, String> isolation(Policies policies) {
        return Map.of();
    }

    /** Creates the sandbox and returns the provider's handle of it (stored with the runner). */
    String create(SandboxSpec spec);

    /** Runs argv in the sandbox, honouring the timeout and the policy's output cap. */
    ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output);

    /**
     * True when exec's argv is a task in words for an agent (computer use), not a program to run: the
     * profile's command list does not apply to it; its network, TTL and timeouts still do.
     */
    default boolean takesTasks() {
        return false;
    }

    /** The runner's lifetime moved: the sandbox must live {@code seconds} more from now (cloud sandboxes have their own timeout). */
    default void extend(String sandboxRef, int seconds) {
    }

    /**
     * Of the sandboxes of runners still alive in the store, those that no longer exist (e.g. killed while
     * RunnerDesk was not running), each with the reason; called once after start. Providers that cannot
     * tell answer none.
     */
    default Map<String, String> missing(Collection<String> sandboxRefs) {
        return Map.of();
    }

    /**
     * Opens an interactive login shell in the sandbox through a PTY, for providers whose probe reports
     * {@code interactiveTerminal}. The caller records and audits; the provider only runs it.
     */
    default Terminal openTerminal(String sandboxRef, ProfilePolicy policy, TerminalSize size, TerminalListener listener) {
        throw new RunnerException.Unavailable("the " + type().wireName() + " provider has no interactive terminal;"
                + " run commands one at a time with exec");
    }

    /** The session ended (stopped, or its or its runner's TTL ran out): ends its commands still running. */
    default void endSession(String sandboxRef, String sessionId) {
    }

    /** The sandbox's workspace files; providers without them answer Unavailable. */
    default WorkspaceFiles files(String sandboxRef) {
        throw new RunnerException.Unavailable("the " + type().wireName() + " provider has no workspace files");
    }

    /**
     * What the sandbox uses now, with the limits {@code policy} set (or the provider's own); empty where the provider
     * cannot tell. Called every {@link MetricsSample#INTERVAL} while someone looks; it must be cheap.
     */
    default Optional<MetricsSample> sample(String sandboxRef, ProfilePolicy policy) {
        return Optional.empty();
    }

    /** Ends every process and frees every resource of the sandbox. Idempotent. */
    void destroy(String sandboxRef);

    @Override
    default void close() {
    }
}
