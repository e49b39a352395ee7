package dev.runnerdesk.embedded;

import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.policy.PiiScanner;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.store.StoredRunner;

/**
 * Opens the interactive shell of a session for one caller, recorded as asciicast (what it shows, PII-redacted; what
 * is typed where the profile says so) and registered with the runtime, so ending the session ends the shell.
 */
final class RecordedShells {
    private final EmbeddedRuntime rt;
    private final CallerAccess access;
    private final RunnerLookup lookup;

    RecordedShells(EmbeddedRuntime rt, CallerAccess access, RunnerLookup lookup) {
        this.rt = rt;
        this.access = access;
        this.lookup = lookup;
    }

    Terminal open(String runnerId, String sessionId, TerminalSize size, TerminalListener listener) {
        access.require(Permission.OPERATE, runnerId, "open terminals");
        record Target(StoredRunner runner, ProfilePolicy policy, PiiScanner scanner) {
        }
        Target target = rt.db.read(c -> {
            StoredRunner stored = lookup.runner(c, runnerId);
            lookup.activeSession(c, stored.runner(), sessionId);
            Policies policies = rt.policies.load(c, EmbeddedRuntime.defaultPolicies());
            return new Target(stored, policies.profile(stored.runner().toolProfile()), new PiiScanner(policies.pii()));
        });
        ProviderType type = target.runner().runner().providerType();
        SandboxProvider provider = rt.provider(type).orElseThrow(() -> new Unavailable("the " + type.wireName()
                + " provider is not part of this build"));
        AsciicastRecorder recording = new AsciicastRecorder(rt.recordingsDir(), sessionId, runnerId + " " + sessionId,
                size, rt.now(), target.policy(), target.scanner(), r -> rt.recordingTruncated(runnerId, sessionId, r));
        // a recording of this session numbered before this one, made by no shell of this run: a shell of the
        // session was open when the runtime (RunnerDesk, or the CLI's serve) last closed, and ended with it
        boolean replacesEnded = recording.index() > 1 && !rt.shells.openedHere(sessionId);
        String ref = target.runner().providerRef().orElse("");
        Terminal shell;
        try {
            shell = provider.openTerminal(ref, target.policy(), size, new TerminalListener() {
                @Override
                public void onOutput(byte[] data) {
                    recording.output(data);
                    listener.onOutput(data);
                }

                @Override
                public void onExit(int exitCode) {
                    recording.close();
                    listener.onExit(exitCode);
                }
            });
        } catch (RunnerException e) {
            recording.close();
            throw rt.afterSandboxFailure(runnerId, provider, ref, e);
        }
        Terminal recorded = new Terminal() {
            @Override
            public void write(byte[] input) {
                recording.input(input);
                shell.write(input);
            }

            @Override
            public void resize(TerminalSize newSize) {
                recording.resize(newSize);
                shell.resize(newSize);
            }

            @Override
            public boolean isAlive() {
                return shell.isAlive();
            }

            @Override
            public boolean replacesEndedShell() {
                return replacesEnded;
            }

            @Override
            public void close() {
                shell.close();
            }
        };
        if (!rt.shells.add(sessionId, recorded, recording)) {
            throw new RunnerException.Conflict("session " + sessionId + " ended while its terminal was opening; start a new"
                    + " session to open one");
        }
        return recorded;
    }
}
