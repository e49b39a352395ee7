package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.IdFormat;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.Forbidden;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.RunnerException.NotFound;
import dev.runnerdesk.core.RunnerException.PolicyDenied;
import dev.runnerdesk.core.RunnerException.Unavailable;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.SessionState;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.core.WhoAmI;
import dev.runnerdesk.policy.PiiOutputGate;
import dev.runnerdesk.policy.PiiScanner;
import dev.runnerdesk.policy.PolicyValidator;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.store.StoredRunner;
import dev.runnerdesk.wire.PolicyJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole {@link RunnerService} contract over the store and the providers, as one caller sees it.
 * Every call checks the caller's role first; denials are audit events as well as errors. State changes
 * and their events are written in one transaction, so nothing is ever half-written.
 */
public final class EmbeddedRunnerService implements RunnerService {
    private static final Pattern SCREENSHOT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}\\.png");
    private static final System.Logger LOG = System.getLogger(EmbeddedRunnerService.class.getName());

    private final EmbeddedRuntime rt;
    private final Principal caller;

    EmbeddedRunnerService(EmbeddedRuntime runtime, Principal caller) {
        this.rt = runtime;
        this.caller = caller;
    }

    public Principal caller() {
        return caller;
    }

    @Override
    public Runner create(CreateRunnerRequest request) {
        require(Permission.ADMINISTER, null, "create runners");
        int ttl = request.ttlSeconds();
        CreateRunnerRequest.TTL.check("", ttl);
        request.imageRef().ifPresent(EmbeddedRunnerService::checkImageRef);
        ProviderInfo info = rt.probe(request.providerType());
        if (!info.available()) {
            throw new InvalidRequest("provider_type", "provider " + request.providerType().wireName()
                    + " is unavailable here: " + info.unavailableReason().orElse("no reason given"));
        }
        SandboxProvider provider = rt.provider(request.providerType()).orElseThrow();
        String runnerId = Ids.runner();
        ProfilePolicy policy = rt.write(tx -> {
            ProfilePolicy p = policies(tx).profile(request.toolProfile());
            if (ttl > p.maxTtlSeconds()) {
                throw new InvalidRequest("ttl_seconds", "ttl_seconds " + ttl + " exceeds the "
                        + request.toolProfile().wireName() + " profile's maximum of " + p.maxTtlSeconds());
            }
            Instant now = rt.now();
            Runner runner = new Runner(runnerId, RunnerState.PROVISIONING, request.providerType(), request.toolProfile(),
                    ttl, now, now.plusSeconds(ttl), request.imageRef(), Optional.empty(), Optional.empty());
            rt.runners.insert(tx.c, runner, caller.name());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("provider_type", request.providerType().wireName());
            data.put("tool_profile", request.toolProfile().wireName());
            data.put("ttl_seconds", ttl);
            request.imageRef().ifPresent(ref -> data.put("image_ref", ref));
            tx.event(EventTypes.RUNNER_CREATED, runnerId, null, caller, data);
            return p;
        });
        String sandboxRef;
        try {
            sandboxRef = provider.create(new SandboxSpec(runnerId, policy, ttl, request.imageRef()));
        } catch (RuntimeException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            rt.write(tx -> {
                rt.runners.updateState(tx.c, runnerId, RunnerState.FAILED, Optional.of(reason));
                tx.event(EventTypes.RUNNER_FAILED, runnerId, null, caller, Map.of("reason", reason));
                return null;
            });
            throw new Unavailable("the " + request.providerType().wireName() + " provider could not create runner "
                    + runnerId + ": " + reason);
        }
        boolean kept = rt.write(tx -> {
            StoredRunner current = rt.runners.find(tx.c, runnerId).orElseThrow();
            rt.runners.setProviderRef(tx.c, runnerId, sandboxRef);
            if (current.runner().state() != RunnerState.PROVISIONING) {
                return false; // terminated while provisioning
            }
            rt.runners.updateState(tx.c, runnerId, RunnerState.READY, Optional.empty());
            tx.event(EventTypes.RUNNER_READY, runnerId, null, caller, Map.of());
            return true;
        });
        if (!kept) {
            rt.destroyQuietly(rt.db.read(c -> rt.runners.find(c, runnerId)).orElseThrow());
        }
        return get(runnerId);
    }

    @Override
    public RunnerPage list(RunnerQuery query) {
        require(Permission.READ, null, "list runners");
        checkLimit(query.limit(), RunnerQuery.MAX_LIMIT);
        if (query.offset() < 0) {
            throw new InvalidRequest("offset", "offset must be 0 or more, got " + query.offset());
        }
        return rt.db.snapshotRead(c -> rt.runners.list(c, query));
    }

    @Override
    public Runner get(String runnerId) {
        require(Permission.READ, runnerId, "read runners");
        return rt.db.snapshotRead(c -> requireRunner(c, runnerId)).runner();
    }

    @Override
    public Session startSession(String runnerId, Optional<Integer> ttlOverrideSeconds) {
        require(Permission.OPERATE, runnerId, "start sessions");
        Session started = rt.write(tx -> {
            Runner runner = requireRunner(tx.c, runnerId).runner();
            if (runner.state() == RunnerState.RUNNING) {
                throw new Conflict("runner " + runnerId + " already has an active session "
                        + runner.activeSession().map(Session::sessionId).orElse("") + "; stop it before starting another");
            }
            if (runner.state() != RunnerState.READY) {
                throw new Conflict("runner " + runnerId + " is " + runner.state().wireName()
                        + "; a session can only start on a ready runner");
            }
            Instant now = rt.now();
            Instant expires = runner.expiresAt();
            if (ttlOverrideSeconds.isPresent()) {
                int ttl = ttlOverrideSeconds.get();
                int max = policies(tx).profile(runner.toolProfile()).maxTtlSeconds();
                CreateRunnerRequest.TTL.upTo(max).named("ttl_override").check("", ttl);
                expires = now.plusSeconds(ttl);
                if (expires.isAfter(runner.expiresAt())) {
                    rt.runners.setExpiresAt(tx.c, runnerId, expires); // the runner lives as long as its session
                }
            }
            Session session = new Session(Ids.session(), runnerId, SessionState.ACTIVE, now, expires,
                    Optional.empty(), Optional.empty());
            rt.runners.insertSession(tx.c, session);
            rt.runners.updateState(tx.c, runnerId, RunnerState.RUNNING, Optional.empty());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("expires_at", expires.toString());
            ttlOverrideSeconds.ifPresent(ttl -> data.put("ttl_override", ttl));
            tx.event(EventTypes.SESSION_STARTED, runnerId, session.sessionId(), caller, data);
            return session;
        });
        if (ttlOverrideSeconds.isPresent()) {
            // a cloud sandbox has its own timeout: it must live as long as the runner now does
            StoredRunner stored = rt.db.read(c -> requireRunner(c, runnerId));
            long seconds = Duration.between(rt.now(), stored.runner().expiresAt()).toSeconds();
            rt.provider(stored.runner().providerType()).ifPresent(p -> stored.providerRef().ifPresent(ref -> {
                try {
                    p.extend(ref, (int) Math.max(1, seconds));
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not extend the sandbox of " + runnerId + ": " + e.getMessage());
                }
            }));
        }
        return started;
    }

    @Override
    public ExecResult exec(String runnerId, String sessionId, ExecRequest request, OutputListener output) {
        require(Permission.OPERATE, runnerId, "run commands");
        ExecRequest.check(request.argv());
        if (request.timeoutSeconds() <= 0) {
            throw new InvalidRequest("timeout_seconds", "timeout_seconds must be more than 0, got " + request.timeoutSeconds());
        }
        String commandId = Ids.command();
        record Plan(StoredRunner runner, ProfilePolicy policy, PiiScanner scanner, String denial, int timeoutSeconds) {
        }
        // the checks only read: they need not queue behind other callers' commits
        Plan plan = rt.db.snapshotRead(c -> {
            StoredRunner stored = requireRunner(c, runnerId);
            Session session = requireActiveSession(c, stored.runner(), sessionId);
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
            Duration left = Duration.between(rt.now(), deadline(stored.runner(), session));
            int timeout = (int) Math.min(request.timeoutSeconds(), Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0)));
            return new Plan(stored, policy, scanner, denial, timeout);
        });
        if (plan.denial() != null) {
            rt.write(tx -> {
                Map<String, Object> data = commandData(commandId, request.argv());
                data.put("reason", plan.denial());
                tx.event(EventTypes.COMMAND_DENIED, runnerId, sessionId, caller, data);
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
        ExecOutcome outcome = provider.exec(new SandboxCall(runnerId, sessionId, commandId, plan.runner().providerRef().orElse("")),
                new ExecRequest(request.argv(), plan.timeoutSeconds()), plan.policy(), gate.input());
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
            tx.event(type, runnerId, sessionId, caller, data);
            if (!shown.hits().isEmpty()) {
                tx.event(EventTypes.PII_DETECTED, runnerId, sessionId, caller,
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

    @Override
    public Terminal openTerminal(String runnerId, String sessionId, TerminalSize size, TerminalListener listener) {
        require(Permission.OPERATE, runnerId, "open terminals");
        record Target(StoredRunner runner, ProfilePolicy policy, PiiScanner scanner) {
        }
        Target target = rt.db.read(c -> {
            StoredRunner stored = requireRunner(c, runnerId);
            requireActiveSession(c, stored.runner(), sessionId);
            Policies policies = rt.policies.load(c, EmbeddedRuntime.defaultPolicies());
            return new Target(stored, policies.profile(stored.runner().toolProfile()), new PiiScanner(policies.pii()));
        });
        ProviderType type = target.runner().runner().providerType();
        SandboxProvider provider = rt.provider(type).orElseThrow(() -> new Unavailable("the " + type.wireName()
                + " provider is not part of this build"));
        AsciicastRecorder recording = new AsciicastRecorder(rt.recordingsDir(), sessionId, runnerId + " " + sessionId,
                size, rt.now(), target.policy(), target.scanner(), r -> rt.recordingTruncated(runnerId, sessionId, r));
        Terminal shell = provider.openTerminal(target.runner().providerRef().orElse(""), target.policy(), size,
                new TerminalListener() {
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
            public void close() {
                shell.close();
            }
        };
        rt.addTerminal(sessionId, new EmbeddedRuntime.SessionTerminal(recorded, recording));
        return recorded;
    }

    @Override
    public String recording(String runnerId, String sessionId, int index) {
        String action = "read recordings";
        require(Permission.READ, runnerId, action);
        // the runner's row outlives it, so its profile still decides once it is terminated
        ProfilePolicy policy = rt.db.read(c -> rt.policies.load(c, EmbeddedRuntime.defaultPolicies())
                .profile(requireRunner(c, runnerId).runner().toolProfile()));
        if (!policy.mayReadRecordings(caller.role())) {
            throw denied(runnerId, action, "required_role", policy.recordingReaders().wireName(), "role "
                    + caller.role().wireName() + " may not " + action + " of " + policy.profile().wireName()
                    + " runners; its policy lets " + policy.recordingReaders().wireName() + " and the roles above read them"
                    + " (and every " + Role.namesWith(Permission.AUDIT) + ")");
        }
        rt.db.read(c -> requireSession(c, requireRunner(c, runnerId).runner(), sessionId));
        if (index < 1) {
            throw new InvalidRequest("index", "recordings are numbered from 1, got " + index);
        }
        Path file = rt.recordingsDir().resolve(sessionId + "-" + index + ".cast");
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new NotFound("session " + sessionId + " has no recording " + index);
        } catch (IOException e) {
            throw new Unavailable("cannot read the recording " + file.getFileName() + ": " + e.getMessage());
        }
    }

    @Override
    public byte[] screenshot(String runnerId, String name) {
        require(Permission.READ, runnerId, "read screenshots");
        rt.db.read(c -> requireRunner(c, runnerId));
        if (name == null || !SCREENSHOT_NAME.matcher(name).matches()) {
            throw new InvalidRequest("name", "a screenshot name is letters, digits, '-' and '_' ending in .png, got \""
                    + name + "\"");
        }
        Path file = rt.screenshotFile(runnerId, name);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotFound("runner " + runnerId + " has no screenshot " + name);
        } catch (IOException e) {
            throw new Unavailable("cannot read the screenshot " + name + ": " + e.getMessage());
        }
    }

    @Override
    public Session stopSession(String runnerId, String sessionId) {
        require(Permission.OPERATE, runnerId, "stop sessions");
        return rt.write(tx -> {
            Runner runner = requireRunner(tx.c, runnerId).runner();
            Session session = requireSession(tx.c, runner, sessionId);
            if (!session.isActive()) {
                throw new Conflict("session " + sessionId + " is already stopped");
            }
            Session stopped = rt.endActiveSession(tx, runnerId, "stopped", caller).orElseThrow();
            rt.runners.updateState(tx.c, runnerId, RunnerState.READY, Optional.empty());
            return stopped;
        });
    }

    @Override
    public Runner terminate(String runnerId) {
        require(Permission.ADMINISTER, runnerId, "terminate runners");
        StoredRunner ended = rt.write(tx -> {
            StoredRunner stored = requireRunner(tx.c, runnerId);
            if (stored.runner().state().isFinal()) {
                throw new Conflict("runner " + runnerId + " is already " + stored.runner().state().wireName());
            }
            rt.endActiveSession(tx, runnerId, "runner_terminated", caller);
            rt.runners.updateState(tx.c, runnerId, RunnerState.TERMINATED, Optional.empty());
            tx.event(EventTypes.RUNNER_TERMINATED, runnerId, null, caller,
                    Map.of("previous_state", stored.runner().state().wireName()));
            return stored;
        });
        rt.destroyQuietly(ended);
        return get(runnerId);
    }

    @Override
    public EventPage events(EventQuery query) {
        require(Permission.READ, query.runnerId().orElse(null), "read events");
        checkLimit(query.limit(), EventQuery.MAX_LIMIT);
        if (query.beforeSeq().isPresent() && query.beforeSeq().get() < 1) {
            throw new InvalidRequest("before", "before must be an event seq of 1 or more, got " + query.beforeSeq().get());
        }
        return rt.db.snapshotRead(c -> {
            if (query.runnerId().isPresent()) {
                requireRunner(c, query.runnerId().get());
            }
            return rt.audit.page(c, query);
        });
    }

    @Override
    public Subscription subscribe(Optional<String> runnerId, long afterSeq, EventListener listener) {
        require(Permission.READ, runnerId.orElse(null), "read events");
        if (afterSeq < RunnerService.ONLY_NEW) {
            throw new InvalidRequest("after_seq", "after_seq must be 0 or more (or ONLY_NEW), got " + afterSeq);
        }
        runnerId.ifPresent(id -> rt.db.read(c -> requireRunner(c, id)));
        return rt.bus.subscribe(runnerId, afterSeq, listener);
    }

    @Override
    public AuditStatus auditStatus() {
        require(Permission.READ, null, "read the audit status");
        return rt.auditTrail().status();
    }

    @Override
    public List<AuditCheckpoint> auditCheckpoints(long afterNumber, int limit) {
        require(Permission.AUDIT, null, "read audit checkpoints");
        if (afterNumber < 0) {
            throw new InvalidRequest("after", "after must be a checkpoint number of 0 or more, got " + afterNumber);
        }
        checkLimit(limit, AUDIT_PAGE_LIMIT);
        return rt.auditTrail().checkpoints(afterNumber, limit);
    }

    @Override
    public List<AuditEvent> auditEvents(long afterSeq, int limit) {
        require(Permission.AUDIT, null, "export the audit trail");
        if (afterSeq < 0) {
            throw new InvalidRequest("after", "after must be an event seq of 0 or more, got " + afterSeq);
        }
        checkLimit(limit, AUDIT_PAGE_LIMIT);
        return rt.db.read(c -> rt.audit.after(c, Optional.empty(), afterSeq, limit));
    }

    @Override
    public ChainVerification verifyAudit(long fromSeq, long toSeq, AuditProgress progress) {
        require(Permission.AUDIT, null, "verify the audit trail");
        if (fromSeq < 1 || toSeq < fromSeq) {
            throw new InvalidRequest("from", "the range must be 1 ≤ from ≤ to, got " + fromSeq + "–" + toSeq);
        }
        return rt.auditTrail().verify(fromSeq, toSeq, progress);
    }

    @Override
    public Policies policies() {
        require(Permission.READ, null, "read policies");
        return rt.db.read(c -> rt.policies.load(c, EmbeddedRuntime.defaultPolicies()));
    }

    @Override
    public Policies updatePolicies(Policies updated) {
        require(Permission.ADMINISTER, null, "edit policies");
        PolicyValidator.validate(updated);
        return rt.write(tx -> {
            Policies old = policies(tx);
            for (ToolProfile profile : ToolProfile.values()) {
                ProfilePolicy before = old.profile(profile);
                ProfilePolicy after = updated.profile(profile);
                if (!before.equals(after)) {
                    rt.policies.save(tx.c, after);
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("profile", profile.wireName());
                    data.put("old", PolicyJson.profileToMap(before));
                    data.put("new", PolicyJson.profileToMap(after));
                    tx.event(EventTypes.POLICY_UPDATED, null, null, caller, data);
                }
            }
            if (!old.pii().equals(updated.pii())) {
                rt.policies.savePii(tx.c, updated.pii());
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("pii", true);
                data.put("old", PolicyJson.piiToMap(old.pii()));
                data.put("new", PolicyJson.piiToMap(updated.pii()));
                tx.event(EventTypes.POLICY_UPDATED, null, null, caller, data);
            }
            return policies(tx);
        });
    }

    @Override
    public WhoAmI whoami() {
        return new WhoAmI(caller.name(), caller.role(), true, "embedded");
    }

    @Override
    public List<Member> members() {
        require(Permission.READ, null, "see members");
        List<Member> members = new ArrayList<>();
        if (!caller.role().may(Permission.ADMINISTER)) {
            members.add(new Member(caller.name(), caller.role(), caller.equals(Principal.localUser()) ? Member.LOCAL_USER
                    : Member.API_KEY, Optional.empty()));
            return members;
        }
        members.add(new Member(Principal.localUser().name(), Principal.localUser().role(), Member.LOCAL_USER, Optional.empty()));
        rt.apiKeys().list().forEach(k -> members.add(new Member(k.name(), k.role(), Member.API_KEY, Optional.of(k.fingerprint()))));
        return members;
    }

    @Override
    public List<ProviderInfo> providers() {
        Policies policies = rt.db.read(c -> rt.policies.load(c, EmbeddedRuntime.defaultPolicies()));
        return Arrays.stream(ProviderType.values()).map(type -> rt.probe(type, policies)).toList();
    }

    @Override
    public void close() {
        // the runtime is shared by every caller's service and closed by its owner
    }

    private Policies policies(EmbeddedRuntime.Tx tx) throws SQLException {
        return rt.policies.load(tx.c, EmbeddedRuntime.defaultPolicies());
    }

    /** Checks the caller's role; a denial is written as {@code auth.denied} before the error is thrown. */
    private void require(Permission permission, String runnerId, String action) {
        if (runnerId != null) {
            IdFormat.check("runner_id", runnerId); // before a denial records it
        }
        if (caller.role().may(permission)) {
            return;
        }
        throw denied(runnerId, action, "required_permission", permission.name().toLowerCase(Locale.ROOT),
                "role " + caller.role().wireName() + " may not " + action + "; "
                        + article(Role.namesWith(permission)) + " role is needed");
    }

    /** "an admin", "a viewer": the article a role name (or a list of them) reads with. */
    private static String article(String roles) {
        return ("aeiou".indexOf(roles.charAt(0)) >= 0 ? "an " : "a ") + roles;
    }

    /** Writes the {@code auth.denied} event of a refusal; returns the error to throw. */
    private Forbidden denied(String runnerId, String action, String requirement, String required, String message) {
        rt.write(tx -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("action", action);
            data.put("role", caller.role().wireName());
            data.put(requirement, required);
            tx.event(EventTypes.AUTH_DENIED, runnerId, null, caller, data);
            return null;
        });
        return new Forbidden(message);
    }

    private StoredRunner requireRunner(Connection c, String runnerId) throws SQLException {
        if (runnerId == null || runnerId.isBlank()) {
            throw new InvalidRequest("runner_id", "runner_id is required");
        }
        IdFormat.check("runner_id", runnerId);
        return rt.runners.find(c, runnerId).orElseThrow(() -> new NotFound("runner " + runnerId + " not found"));
    }

    private Session requireSession(Connection c, Runner runner, String sessionId) throws SQLException {
        if (sessionId == null || sessionId.isBlank()) {
            throw new InvalidRequest("session_id", "session_id is required");
        }
        IdFormat.check("session_id", sessionId);
        Optional<Session> session = rt.runners.findSession(c, sessionId);
        if (session.isEmpty() || !session.get().runnerId().equals(runner.runnerId())) {
            throw new NotFound("session " + sessionId + " not found on runner " + runner.runnerId());
        }
        return session.get();
    }

    /** The session, active and within its and its runner's time (the reaper may not have ended it yet). */
    private Session requireActiveSession(Connection c, Runner runner, String sessionId) throws SQLException {
        Session session = requireSession(c, runner, sessionId);
        if (!session.isActive()) {
            throw new Conflict("session " + sessionId + " is stopped (" + session.stopReason().orElse("stopped")
                    + "); start a new session to run commands");
        }
        if (!deadline(runner, session).isAfter(rt.now())) {
            throw new Conflict("session " + sessionId + " ran out of time (its TTL or its runner's has passed);"
                    + " start a new session to run commands");
        }
        return session;
    }

    /** When the session must end: its own TTL, or its runner's if that comes first. */
    private static Instant deadline(Runner runner, Session session) {
        Instant sessionEnds = session.expiresAt() == null ? Instant.MAX : session.expiresAt();
        Instant runnerEnds = runner.expiresAt() == null ? Instant.MAX : runner.expiresAt();
        return sessionEnds.isBefore(runnerEnds) ? sessionEnds : runnerEnds;
    }

    private static void checkLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw new InvalidRequest("limit", "limit must be between 1 and " + max + ", got " + limit);
        }
    }

    private static void checkImageRef(String ref) {
        if (ref.isBlank() || ref.length() > CreateRunnerRequest.MAX_IMAGE_REF_LENGTH
                || ref.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
            throw new InvalidRequest("image_ref", "image_ref must be 1 to " + CreateRunnerRequest.MAX_IMAGE_REF_LENGTH
                    + " characters with no spaces or control characters");
        }
    }

}
