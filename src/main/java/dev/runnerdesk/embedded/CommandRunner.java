package dev.runnerdesk.embedded;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.PolicyDenied;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.policy.PiiOutputGate;
import dev.runnerdesk.policy.PiiScanner;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.store.StoredRunner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one command in a session for one caller: the checks (role, argv, timeout, the profile's commands), the
 * provider, the PII gate on the output, and the command's events. A refusal by the profile is a
 * {@code command.denied} event before it is an error.
 */
final class CommandRunner {
    private final EmbeddedRuntime rt;
    private final CallerAccess access;
    private final RunnerLookup lookup;

    CommandRunner(EmbeddedRuntime rt, CallerAccess access, RunnerLookup lookup) {
        this.rt = rt;
        this.access = access;
        this.lookup = lookup;
    }

    ExecResult exec(String runnerId, String sessionId, ExecRequest request, OutputListener output) {
        access.require(Permission.OPERATE, runnerId, "run commands");
        ExecRequest.check(request.argv());
        if (request.timeoutSeconds() <= 0) {
            throw new InvalidRequest("timeout_seconds", "timeout_seconds must be more than 0, got " + request.timeoutSeconds());
        }
        String commandId = Ids.command();
        record Plan(StoredRunner runner, ProfilePolicy policy, PiiScanner scanner, String denial, int timeoutSeconds) {
        }
        // the checks only read: they need not queue behind other callers' commits
        Plan plan = rt.db.snapshotRead(c -> {
            StoredRunner stored = lookup.runner(c, runnerId);
            Session session = lookup.activeSession(c, stored.runner(), sessionId);
            Policies policies = rt.policies.load(c, EmbeddedRuntime.defaultPolicies());
            ProfilePolicy policy = policies.profile(stored.runner().toolProfile());
            if (request.timeoutSeconds() > policy.maxExecTimeoutSeconds()) {
                throw new InvalidRequest("timeout_seconds", "timeout_seconds " + request.timeoutSeconds()
                        + " exceeds the " + policy.profile().wireName() + " profile's maximum of "
                        + policy.maxExecTimeoutSeconds());
            }
            PiiScanner scanner = new PiiScanner(policies.pii());
            boolean task = rt.provider(stored.runner().providerType()).map(SandboxProvider::takesTasks).orElse(false);
            String denial = task || policy.allowsCommand(request.argv().get(0)) ? null : "the " + policy.profile().wireName()
                    + " profile does not allow the command \"" + request.argv().get(0) + "\"";
            // a command does not outlive its session or runner: it is stopped as timed out when their time runs out
            Duration left = Duration.between(rt.now(), RunnerLookup.deadline(stored.runner(), session));
            int timeout = (int) Math.min(request.timeoutSeconds(), Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0)));
            return new Plan(stored, policy, scanner, denial, timeout);
        });
        if (plan.denial() != null) {
            rt.write(tx -> {
                Map<String, Object> data = commandData(commandId, request.argv());
                data.put("reason", plan.denial());
                tx.event(EventTypes.COMMAND_DENIED, runnerId, sessionId, access.caller(), data);
                return null;
            });
            throw new PolicyDenied(plan.denial());
        }
        SandboxProvider provider = rt.provider(plan.runner().runner().providerType())
                .orElseThrow(() -> new Unavailable("the " + plan.runner().runner().providerType().wireName()
                        + " provider is not part of this build"));
        OutputListener toCallerAndSubscribers = (stream, chunk) -> {
            output.onOutput(stream, chunk);
            rt.bus.publishOutput(new OutputChunk(runnerId, sessionId, commandId, stream, chunk));
        };
        PiiOutputGate gate = new PiiOutputGate(plan.scanner(), toCallerAndSubscribers);
        long started = System.nanoTime();
        String ref = plan.runner().providerRef().orElse("");
        ExecOutcome outcome;
        try {
            outcome = provider.exec(new SandboxCall(runnerId, sessionId, commandId, ref),
                    new ExecRequest(request.argv(), plan.timeoutSeconds()), plan.policy(), gate.input());
        } catch (RunnerException e) {
            throw rt.afterSandboxFailure(runnerId, provider, ref, e);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        PiiOutputGate.Verdict shown = gate.close(outcome.stdout(), outcome.stderr());
        ExecResult result = new ExecResult(commandId, outcome.exitCode(), shown.stdout(), shown.stderr(), durationMs,
                outcome.timedOut(), outcome.truncated(), outcome.oom());
        rt.write(tx -> {
            Map<String, Object> data = commandData(commandId, request.argv());
            data.put("exit_code", result.exitCode());
            data.put("duration_ms", result.durationMs());
            data.put("stdout_bytes", outcome.stdout().getBytes(StandardCharsets.UTF_8).length);
            data.put("stderr_bytes", outcome.stderr().getBytes(StandardCharsets.UTF_8).length);
            data.put("timed_out", result.timedOut());
            data.put("truncated", result.truncated());
            if (result.oom()) {
                data.put("oom", true);
            }
            if (shown.withheld()) {
                data.put("output_withheld", true);
            }
            String type = result.timedOut() ? EventTypes.COMMAND_TIMED_OUT : EventTypes.COMMAND_EXECUTED;
            tx.event(type, runnerId, sessionId, access.caller(), data);
            if (!shown.hits().isEmpty()) {
                tx.event(EventTypes.PII_DETECTED, runnerId, sessionId, access.caller(),
                        EmbeddedRuntime.piiDetected("command_id", commandId, shown.hits(), shown.action()));
            }
            return null;
        });
        if (shown.withheld()) {
            throw new PolicyDenied("the output of " + commandId + " was withheld: the PII scanner found "
                    + String.join(", ", shown.blockedBy().stream().map(PiiDetector::wireName).toList())
                    + ", which the policy blocks");
        }
        return result;
    }

    /** The command's id and argv for an event (which scans and shortens them, as every event's strings). */
    private static Map<String, Object> commandData(String commandId, List<String> argv) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command_id", commandId);
        data.put("argv", argv);
        return data;
    }
}
