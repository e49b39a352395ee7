package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.policy.DefaultPolicies;
import dev.runnerdesk.policy.PiiScanner;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.store.AuditLog;
import dev.runnerdesk.store.DataDirectory;
import dev.runnerdesk.store.Database;
import dev.runnerdesk.store.EventDraft;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.store.PolicyStore;
import dev.runnerdesk.store.RunnerStore;
import dev.runnerdesk.store.SettingsStore;
import dev.runnerdesk.store.StoredRunner;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The runtime behind every embedded {@link RunnerService}: one data directory's database, the sandbox
 * providers (built by the composition root, known here only through their SPI), the clock, the live event bus and
 * the TTL reaper. {@link #serviceFor(Principal)} gives the
 * service as one caller sees it; all of them share this runtime.
 */
public final class EmbeddedRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedRuntime.class.getName());
    /** Characters of one string in an event's data; longer ones (a long argv element) are shortened, saying how long. */
    static final int EVENT_STRING_CHARS = 1024;

    final Database db;
    final RunnerStore runners = new RunnerStore();
    final AuditLog audit = new AuditLog();
    final PolicyStore policies = new PolicyStore();
    final SettingsStore settings = new SettingsStore();
    final Clock clock;
    final EventBus bus;
    private final Map<ProviderType, SandboxProvider> providers;
    private final ApiKeys apiKeys = new ApiKeys(this);
    /** Open terminals per session, so ending a session or runner ends its shells. */
    final OpenShells shells = new OpenShells();
    /** Samples the sandboxes of the runners someone looks at. */
    final RunnerMetricsSampler metrics = new RunnerMetricsSampler(this);
    private final Path dataDir;
    private final AuditTrail trail;
    private ScheduledExecutorService reaper;
    private volatile PiiScanner eventScanner;

    /** A runtime whose audit signing key is kept in a private file (tests, and where there is no keychain). */
    public EmbeddedRuntime(Path dataDir, Clock clock, List<SandboxProvider> providers) {
        this(dataDir, clock, providers, new MemorySecretStore("no keychain"));
    }

    /** @param secrets where the audit signing key is kept when it is {@link SecretStore#persistent()} */
    public EmbeddedRuntime(Path dataDir, Clock clock, List<SandboxProvider> providers, SecretStore secrets) {
        this.dataDir = dataDir;
        DataDirectory.makePrivate(dataDir);
        this.db = Database.open(dataDir);
        this.clock = clock;
        this.bus = new EventBus(db, audit);
        this.providers = new EnumMap<>(ProviderType.class);
        providers.forEach(p -> this.providers.put(p.type(), p));
        Principal sandbox = new Principal("sandbox", Role.VIEWER);
        providers.forEach(p -> p.attach((runnerId, sessionId, type, data) ->
                write(tx -> tx.event(type, runnerId, sessionId, sandbox, data))));
        this.trail = new AuditTrail(this, secrets);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Database database() {
        return db;
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public RunnerService serviceFor(Principal principal) {
        return new EmbeddedRunnerService(this, principal);
    }

    /** How often the sandboxes of live runners are checked while running. */
    static final Duration RECONCILE_EVERY = Duration.ofMinutes(1);

    /**
     * Starts the background reaper: TTL expiry, and events of other processes, every {@code period}; the sandboxes of
     * live runners every {@link #RECONCILE_EVERY}.
     */
    public synchronized void startBackgroundWork(Duration period) {
        if (reaper != null) {
            return;
        }
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runnerdesk-reaper");
            t.setDaemon(true);
            return t;
        });
        reaper.execute(this::reconcile);
        trail.start();
        // sandboxes can vanish while this runs too (killed in the provider's console, their timeout ran out)
        reaper.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "checking the sandboxes failed; retrying next minute", e);
            }
        }, RECONCILE_EVERY.toMillis(), RECONCILE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        reaper.scheduleWithFixedDelay(() -> {
            try {
                reapExpired();
                apiKeys.flushEndedDenials();
                bus.catchUp();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "background work failed; retrying next tick", e);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runners whose sandbox no longer exists (a cloud sandbox killed or timed out while RunnerDesk was not
     * running) become {@code failed} with the provider's reason. Returns how many.
     */
    public int reconcile() {
        return new SandboxReconciler(this, providers.values()).reconcile();
    }

    /** See {@link SandboxReconciler#afterFailure}: the error of a failed provider call, the runner failed if its sandbox is gone. */
    RunnerException afterSandboxFailure(String runnerId, SandboxProvider provider, String ref, RunnerException error) {
        return new SandboxReconciler(this, providers.values()).afterFailure(runnerId, provider, ref, error);
    }

    /**
     * Ends runners whose TTL ran out ({@code expired}) and sessions whose own TTL ran out (runner back to
     * {@code ready}). Returns how many runners and sessions were ended.
     */
    public int reapExpired() {
        return new TtlReaper(this).reapExpired();
    }

    /** Verifies the whole audit chain and its signed checkpoints. */
    public ChainVerification verifyAuditChain() {
        return verifyAuditChain(1, Long.MAX_VALUE);
    }

    public ChainVerification verifyAuditChain(long fromSeq, long toSeq) {
        return trail.verify(fromSeq, toSeq, AuditProgress.NONE);
    }

    /** The audit trail's signing and checking. */
    AuditTrail auditTrail() {
        return trail;
    }

    /** Signs the newest event now if it is not signed yet (normally the background signer does). */
    public Optional<AuditCheckpoint> checkpointAudit() {
        return trail.checkpoint();
    }

    /** The runtime's time, at the millisecond precision the store keeps. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    Optional<SandboxProvider> provider(ProviderType type) {
        return Optional.ofNullable(providers.get(type));
    }

    ProviderInfo probe(ProviderType type) {
        SandboxProvider provider = providers.get(type);
        return provider != null ? provider.probe()
                : ProviderInfo.unavailable(type, "the " + type.wireName() + " provider is not part of this build yet");
    }

    /** As {@link #probe(ProviderType)}, with how each profile's sandbox is confined where the provider says. */
    ProviderInfo probe(ProviderType type, Policies policies) {
        ProviderInfo info = probe(type);
        SandboxProvider provider = providers.get(type);
        return info.available() && provider != null ? info.withIsolation(provider.isolation(policies)) : info;
    }

    /** Where a runner's screenshots are kept (computer-use providers write them; {@code screenshot} reads them). */
    public Path screenshotFile(String runnerId, String name) {
        return dataDir.resolve(DataDirectory.SCREENSHOTS).resolve(runnerId).resolve(name);
    }

    /** Where terminal recordings go: {@code <session_id>-<n>.cast}, {@code n} from 1. */
    Path recordingsDir() {
        return dataDir.resolve(DataDirectory.RECORDINGS);
    }

    /** A recording reached its profile's cap while the session runs: {@code recording.truncated}, once. */
    void recordingTruncated(String runnerId, String sessionId, AsciicastRecorder recording) {
        if (recording.claimTruncationReport()) {
            write(tx -> tx.event(EventTypes.RECORDING_TRUNCATED, runnerId, sessionId, Principal.system(),
                    truncation(recording.summary())));
        }
    }

    private Map<String, Object> truncation(AsciicastRecorder.Summary recording) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recording", dataDir.relativize(recording.file()).toString());
        data.put("index", recording.index());
        data.put("cap_mib", recording.capMib());
        return data;
    }

    /** The data of {@code pii.detected}: where ({@code key}: a command or a recording), how many of each, the action. */
    static Map<String, Object> piiDetected(String key, String where, Map<PiiDetector, Integer> hits, String action) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(key, where);
        Map<String, Object> counts = new LinkedHashMap<>();
        hits.forEach((d, n) -> counts.put(d.wireName(), n));
        data.put("detectors", counts);
        data.put("action", action);
        return data;
    }

    /** Stops the runner's active session, if any, and records {@code session.stopped}. */
    Optional<Session> endActiveSession(Tx tx, String runnerId, String reason, Principal actor) throws SQLException {
        Optional<Session> active = runners.activeSession(tx.c, runnerId);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Session s = active.get();
        runners.stopSession(tx.c, s.sessionId(), now(), reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason);
        data.put("duration_ms", Math.max(0, now().toEpochMilli() - s.startedAt().toEpochMilli()));
        List<String> recordings = new ArrayList<>();
        List<String> truncated = new ArrayList<>();
        runners.find(tx.c, runnerId).ifPresent(stored -> provider(stored.runner().providerType())
                .ifPresent(p -> p.endSession(stored.providerRef().orElse(""), s.sessionId())));
        for (AsciicastRecorder recorder : shells.end(s.sessionId())) {
            AsciicastRecorder.Summary recording = recorder.summary();
            String file = dataDir.relativize(recording.file()).toString();
            recordings.add(file);
            if (recording.truncated()) {
                truncated.add(file);
                if (recorder.claimTruncationReport()) { // it reached the cap while closing
                    tx.event(EventTypes.RECORDING_TRUNCATED, runnerId, s.sessionId(), Principal.system(), truncation(recording));
                }
            }
            if (!recording.piiHits().isEmpty()) {
                tx.event(EventTypes.PII_DETECTED, runnerId, s.sessionId(), Principal.system(),
                        piiDetected("recording", file, recording.piiHits(), "redact"));
            }
        }
        if (!recordings.isEmpty()) {
            data.put("recordings", recordings);
        }
        if (!truncated.isEmpty()) {
            data.put("truncated_recordings", truncated);
        }
        tx.event(EventTypes.SESSION_STOPPED, runnerId, s.sessionId(), actor, data);
        return runners.findSession(tx.c, s.sessionId());
    }

    void destroyQuietly(StoredRunner runner) {
        Optional<SandboxProvider> provider = provider(runner.runner().providerType());
        if (provider.isPresent() && runner.providerRef().isPresent()) {
            try {
                provider.get().destroy(runner.providerRef().get());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not free the sandbox of " + runner.runner().runnerId(), e);
            }
        }
    }

    /** A write transaction whose events are published to live subscribers once it commits. */
    <T> T write(TxWork<T> work) {
        List<AuditEvent> written = new ArrayList<>();
        return db.write(c -> work.run(new Tx(c, written)), List.of(() -> {
            bus.publish(written);
            if (!written.isEmpty()) {
                trail.appended(written.get(written.size() - 1).seq());
            }
        }));
    }

    @FunctionalInterface
    interface TxWork<T> {
        T run(Tx tx) throws SQLException;
    }

    /** A transaction in progress, collecting the events it appends. */
    final class Tx {
        final Connection c;
        private final List<AuditEvent> written;

        Tx(Connection c, List<AuditEvent> written) {
            this.c = c;
            this.written = written;
        }

        /**
         * Appends an event. Every string in its data, however deeply nested, passes the PII scanner under the
         * current policy first and is cut to {@link #EVENT_STRING_CHARS}: whatever a field holds (a path, an
         * image_ref, argv, a provider's text), and whatever fields are added later.
         */
        AuditEvent event(String type, String runnerId, String sessionId, Principal actor, Map<String, Object> data)
                throws SQLException {
            return event(type, runnerId, sessionId, actor, data, EVENT_STRING_CHARS);
        }

        /** As {@link #event(String, String, String, Principal, Map)}, each string cut to {@code maxChars} instead. */
        AuditEvent event(String type, String runnerId, String sessionId, Principal actor, Map<String, Object> data,
                         int maxChars) throws SQLException {
            AuditEvent event = audit.append(c, new EventDraft(type, now(), Optional.ofNullable(runnerId),
                    Optional.ofNullable(sessionId), actor.name(), eventScanner(c).scanEventData(data, maxChars)));
            written.add(event);
            return event;
        }
    }

    /** The scanner of the PII settings stored now; made again only when they change. */
    private PiiScanner eventScanner(Connection c) throws SQLException {
        PiiSettings settings = policies.loadPii(c, PiiSettings.defaults());
        PiiScanner scanner = eventScanner;
        if (scanner == null || !scanner.settings().equals(settings)) {
            scanner = new PiiScanner(settings);
            eventScanner = scanner;
        }
        return scanner;
    }

    /** The default policies, for a runtime whose database holds none yet. */
    static Policies defaultPolicies() {
        return DefaultPolicies.create();
    }

    @Override
    public void close() {
        try {
            apiKeys.flushAllDenials();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not record the last coalesced auth.denied counts", e);
        }
        shells.endAll();
        metrics.close();
        synchronized (this) {
            if (reaper != null) {
                reaper.shutdownNow();
            }
        }
        bus.close();
        providers.values().forEach(p -> {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing provider " + p.type() + " failed", e);
            }
        });
        trail.close();
        db.close();
    }
}
