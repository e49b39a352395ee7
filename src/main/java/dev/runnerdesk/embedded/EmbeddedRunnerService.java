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
import dev.runnerdesk.core.FileEntry;
import dev.runnerdesk.core.FileWatchListener;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role.Permission;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException.Conflict;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
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
import dev.runnerdesk.policy.PolicyValidator;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.store.StoredRunner;
import dev.runnerdesk.wire.PolicyJson;

import java.io.InputStream;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole {@link RunnerService} contract over the store and the providers, as one caller sees it.
 * Every call checks the caller's role first ({@link CallerAccess}); denials are audit events as well as errors.
 * State changes and their events are written in one transaction, so nothing is ever half-written. Running a
 * command ({@link CommandRunner}), opening a shell ({@link RecordedShells}) and reading what runners stored
 * ({@link StoredFiles}) and their workspace files ({@link WorkspaceFileCalls}) are their own classes; this one holds the
 * runners' lifecycle, events, policies and identity.
 */
public final class EmbeddedRunnerService implements RunnerService {
    private static final System.Logger LOG = System.getLogger(EmbeddedRunnerService.class.getName());

    private final EmbeddedRuntime rt;
    private final Principal caller;
    private final CallerAccess access;
    private final RunnerLookup lookup;
    private final WorkspaceFileCalls files;

    EmbeddedRunnerService(EmbeddedRuntime runtime, Principal caller) {
        this.rt = runtime;
        this.caller = caller;
        this.access = new CallerAccess(runtime, caller);
        this.lookup = new RunnerLookup(runtime);
        this.files = new WorkspaceFileCalls(runtime, access, lookup);
    }

    public Principal caller() {
        return caller;
    }

    @Override
    public Runner create(CreateRunnerRequest request) {
        access.require(Permission.ADMINISTER, null, "create runners");
        int ttl = request.ttlSeconds();
        CreateRunnerRequest.TTL.check("", ttl);
        request.imageRef().ifPresent(RequestChecks::imageRef);
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
        access.require(Permission.READ, null, "list runners");
        RequestChecks.limit(query.limit(), RunnerQuery.MAX_LIMIT);
        if (query.offset() < 0) {
            throw new InvalidRequest("offset", "offset must be 0 or more, got " + query.offset());
        }
        return rt.db.snapshotRead(c -> rt.runners.list(c, query));
    }

    @Override
    public Runner get(String runnerId) {
        access.require(Permission.READ, runnerId, "read runners");
        return rt.db.snapshotRead(c -> lookup.runner(c, runnerId)).runner();
    }

    @Override
    public Session startSession(String runnerId, Optional<Integer> ttlOverrideSeconds) {
        access.require(Permission.OPERATE, runnerId, "start sessions");
        Session started = rt.write(tx -> {
            Runner runner = lookup.runner(tx.c, runnerId).runner();
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
            StoredRunner stored = rt.db.read(c -> lookup.runner(c, runnerId));
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
        return new CommandRunner(rt, access, lookup).exec(runnerId, sessionId, request, output);
    }

    @Override
    public Terminal openTerminal(String runnerId, String sessionId, TerminalSize size, TerminalListener listener) {
        return new RecordedShells(rt, access, lookup).open(runnerId, sessionId, size, listener);
    }

    @Override
    public String recording(String runnerId, String sessionId, int index) {
        return new StoredFiles(rt, access, lookup).recording(runnerId, sessionId, index);
    }

    @Override
    public byte[] screenshot(String runnerId, String name) {
        return new StoredFiles(rt, access, lookup).screenshot(runnerId, name);
    }

    @Override
    public List<FileEntry> listFiles(String runnerId, String folder) {
        return files.list(runnerId, folder);
    }

    @Override
    public FileEntry statFile(String runnerId, String path) {
        return files.stat(runnerId, path);
    }

    @Override
    public FileEntry readFile(String runnerId, String path, long offset, long length, OutputStream sink) {
        return files.read(runnerId, path, offset, length, sink);
    }

    @Override
    public FileEntry writeFile(String runnerId, String path, InputStream content) {
        return files.write(runnerId, path, content);
    }

    @Override
    public FileEntry makeFolder(String runnerId, String path) {
        return files.makeFolder(runnerId, path);
    }

    @Override
    public FileEntry moveFile(String runnerId, String from, String to) {
        return files.move(runnerId, from, to);
    }

    @Override
    public void deleteFile(String runnerId, String path, boolean recursive) {
        files.delete(runnerId, path, recursive);
    }

    @Override
    public Subscription watchFiles(String runnerId, String folder, FileWatchListener listener) {
        return files.watch(runnerId, folder, listener);
    }

    @Override
    public List<MetricsSample> metrics(String runnerId, Instant since) {
        access.require(Permission.READ, runnerId, "read runner metrics");
        return rt.metrics.samples(LiveSandbox.find(rt, lookup, runnerId, "metrics"), since == null ? Instant.MIN : since);
    }

    @Override
    public Session stopSession(String runnerId, String sessionId) {
        access.require(Permission.OPERATE, runnerId, "stop sessions");
        return rt.write(tx -> {
            Runner runner = lookup.runner(tx.c, runnerId).runner();
            Session session = lookup.session(tx.c, runner, sessionId);
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
        access.require(Permission.ADMINISTER, runnerId, "terminate runners");
        StoredRunner ended = rt.write(tx -> {
            StoredRunner stored = lookup.runner(tx.c, runnerId);
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
        access.require(Permission.READ, query.runnerId().orElse(null), "read events");
        RequestChecks.limit(query.limit(), EventQuery.MAX_LIMIT);
        if (query.beforeSeq().isPresent() && query.beforeSeq().get() < 1) {
            throw new InvalidRequest("before", "before must be an event seq of 1 or more, got " + query.beforeSeq().get());
        }
        return rt.db.snapshotRead(c -> {
            if (query.runnerId().isPresent()) {
                lookup.runner(c, query.runnerId().get());
            }
            return rt.audit.page(c, query);
        });
    }

    @Override
    public Subscription subscribe(Optional<String> runnerId, long afterSeq, EventListener listener) {
        access.require(Permission.READ, runnerId.orElse(null), "read events");
        if (afterSeq < RunnerService.ONLY_NEW) {
            throw new InvalidRequest("after_seq", "after_seq must be 0 or more (or ONLY_NEW), got " + afterSeq);
        }
        runnerId.ifPresent(id -> rt.db.read(c -> lookup.runner(c, id)));
        return rt.bus.subscribe(runnerId, afterSeq, listener);
    }

    @Override
    public AuditStatus auditStatus() {
        access.require(Permission.READ, null, "read the audit status");
        return rt.auditTrail().status();
    }

    @Override
    public List<AuditCheckpoint> auditCheckpoints(long afterNumber, int limit) {
        access.require(Permission.AUDIT, null, "read audit checkpoints");
        if (afterNumber < 0) {
            throw new InvalidRequest("after", "after must be a checkpoint number of 0 or more, got " + afterNumber);
        }
        RequestChecks.limit(limit, AUDIT_PAGE_LIMIT);
        return rt.auditTrail().checkpoints(afterNumber, limit);
    }

    @Override
    public List<AuditEvent> auditEvents(long afterSeq, int limit) {
        access.require(Permission.AUDIT, null, "export the audit trail");
        if (afterSeq < 0) {
            throw new InvalidRequest("after", "after must be an event seq of 0 or more, got " + afterSeq);
        }
        RequestChecks.limit(limit, AUDIT_PAGE_LIMIT);
        return rt.db.read(c -> rt.audit.after(c, Optional.empty(), afterSeq, limit));
    }

    @Override
    public ChainVerification verifyAudit(long fromSeq, long toSeq, AuditProgress progress) {
        access.require(Permission.AUDIT, null, "verify the audit trail");
        if (fromSeq < 1 || toSeq < fromSeq) {
            throw new InvalidRequest("from", "the range must be 1 ≤ from ≤ to, got " + fromSeq + "–" + toSeq);
        }
        return rt.auditTrail().verify(fromSeq, toSeq, progress);
    }

    @Override
    public Policies policies() {
        access.require(Permission.READ, null, "read policies");
        return rt.db.read(c -> rt.policies.load(c, EmbeddedRuntime.defaultPolicies()));
    }

    @Override
    public Policies updatePolicies(Policies updated) {
        access.require(Permission.ADMINISTER, null, "edit policies");
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
        access.require(Permission.READ, null, "see members");
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
}
