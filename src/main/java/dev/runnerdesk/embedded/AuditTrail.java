package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.ChainVerification.Failed;
import dev.runnerdesk.core.ChainVerification.Problem;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.store.AuditKeys;
import dev.runnerdesk.store.CheckpointFile;
import dev.runnerdesk.store.CheckpointStore;
import dev.runnerdesk.store.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signs the audit chain and checks it. A checkpoint is signed every {@value #EVENTS_PER_CHECKPOINT} events, at
 * least every {@link #MAX_UNSIGNED_AGE} while there are new events, and at a clean shutdown; always on its own
 * thread (or the closing one), never on the append path. Checkpoints go into the database and then into
 * {@code checkpoints.jsonl} outside it.
 */
final class AuditTrail {
    static final int EVENTS_PER_CHECKPOINT = 1_000;
    static final Duration MAX_UNSIGNED_AGE = Duration.ofMinutes(5);
    static final String CHAIN_ID = "audit.chain_id";
    static final String LEGACY_UNTIL = "audit.legacy_form_until_seq";
    private static final int VERIFY_CHUNK = 5_000;
    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    private final EmbeddedRuntime rt;
    private final AuditKeys keys;
    private final CheckpointStore store = new CheckpointStore();
    private final CheckpointFile file;
    private final AtomicBoolean signingQueued = new AtomicBoolean();
    private volatile long appendedHere;
    /** The seq the newest checkpoint this process knows of signs. */
    private volatile long signedSeq;
    private volatile Optional<String> problem = Optional.empty();
    private AuditKeys.Anchor anchor;
    private PrivateKey privateKey;
    private ScheduledExecutorService signer;

    AuditTrail(EmbeddedRuntime rt, SecretStore secrets) {
        this.rt = rt;
        this.keys = new AuditKeys(rt.dataDir(), secrets);
        this.file = new CheckpointFile(keys.folder());
    }

    /** Starts signing in the background: at once (events a crash or another process left unsigned), then on time and count. */
    synchronized void start() {
        if (signer != null) {
            return;
        }
        signedSeq = rt.db.read(store::last).map(AuditCheckpoint::seq).orElse(0L);
        signer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runnerdesk-audit-signer");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(1, Math.min(30, MAX_UNSIGNED_AGE.toSeconds() / 4));
        signer.scheduleWithFixedDelay(this::signIfDue, 0, tick, TimeUnit.SECONDS);
    }

    /** Called after each commit that appended events, with the newest seq: cheap, queues signing every thousand. */
    void appended(long seq) {
        appendedHere = seq;
        ScheduledExecutorService s = signer;
        if (s != null && seq - signedSeq >= EVENTS_PER_CHECKPOINT && signingQueued.compareAndSet(false, true)) {
            try {
                s.execute(() -> {
                    signingQueued.set(false);
                    signQuietly();
                });
            } catch (RejectedExecutionException closing) {
                signingQueued.set(false);
            }
        }
    }

    void signIfDue() {
        try {
            Optional<AuditCheckpoint> last = rt.db.read(store::last);
            long head = rt.db.read(rt.audit::lastSeq);
            long lastSeq = last.map(AuditCheckpoint::seq).orElse(0L);
            signedSeq = lastSeq;
            boolean old = last.isEmpty() || !last.get().time().plus(MAX_UNSIGNED_AGE).isAfter(rt.now());
            if (head > lastSeq && (old || head - lastSeq >= EVENTS_PER_CHECKPOINT || last.isEmpty())) {
                checkpoint();
            } else {
                catchUpFile();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit signing failed; retrying next tick", e);
        }
    }

    private void signQuietly() {
        try {
            checkpoint();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "audit signing failed; retrying next tick", e);
        }
    }

    /** Stops the signer; signs what this process appended (or, with the signer running, anything) and is unsigned. */
    void close() {
        boolean background;
        synchronized (this) {
            background = signer != null;
            if (signer != null) {
                signer.shutdownNow();
                try {
                    signer.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (background || appendedHere > signedSeq) {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not sign the audit trail at shutdown", e);
            }
        }
    }

    /**
     * Signs the newest event now, if it is not signed yet; returns the new checkpoint. Where signing is not possible
     * (a foreign database, a keychain that does not open here) it says why in {@link #status()} and returns empty.
     */
    synchronized Optional<AuditCheckpoint> checkpoint() {
        Optional<AuditKeys.Anchor> ready = ensureChain();
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        Optional<PrivateKey> key = signingKey();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        AuditKeys.Anchor a = anchor;
        Optional<AuditCheckpoint> made = rt.db.write(c -> {
            Optional<AuditEvent> head = rt.audit.lastEvent(c);
            Optional<AuditCheckpoint> last = store.last(c);
            if (head.isEmpty() || last.isPresent() && last.get().seq() >= head.get().seq()) {
                return Optional.<AuditCheckpoint>empty();
            }
            if (!a.chainId().equals(rt.settings.get(c, CHAIN_ID).orElse(null))) {
                return Optional.<AuditCheckpoint>empty(); // swapped since ensureChain: the next status says so
            }
            AuditCheckpoint unsigned = new AuditCheckpoint(last.map(cp -> cp.number() + 1).orElse(1L), a.chainId(),
                    head.get().seq(), head.get().hash(), rt.now(), last.map(AuditCheckpoint::hash).orElse(AuditCheckpoint.GENESIS),
                    a.keyId(), "");
            AuditCheckpoint signed = new AuditCheckpoint(unsigned.number(), unsigned.chainId(), unsigned.seq(),
                    unsigned.eventHash(), unsigned.time(), unsigned.prevCheckpointHash(), unsigned.keyId(),
                    AuditSignatures.sign(key.get(), unsigned.payload()));
            store.append(c, signed);
            return Optional.of(signed);
        });
        made.ifPresent(cp -> signedSeq = cp.seq());
        catchUpFile();
        return made;
    }

    private void catchUpFile() {
        try {
            file.catchUp(after -> rt.db.read(c -> store.after(c, after, Integer.MAX_VALUE)));
        } catch (IOException e) {
            setProblem("checkpoints.jsonl cannot be written: " + e.getMessage());
        }
    }

    /**
     * This data directory's chain, made at first use: the chain id in the database and in {@code chain.json}, and
     * its signing key. Empty (with the reason in {@link #status()}) when the database belongs to another chain.
     */
    private synchronized Optional<AuditKeys.Anchor> ensureChain() {
        try {
            PrivateFiles.createDirectories(keys.folder());
            PrivateFiles.createFileIfMissing(keys.folder().resolve(".lock"));
            try (FileChannel lockFile = FileChannel.open(keys.folder().resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                Optional<AuditKeys.Anchor> found = keys.anchor();
                Optional<String> dbChain = rt.db.read(c -> rt.settings.get(c, CHAIN_ID));
                if (dbChain.isEmpty()) {
                    if (found.isPresent()) {
                        // the database was replaced by one that never had a chain (a reset, an older backup):
                        // the old chain's anchor and checkpoints are kept aside and a new chain begins
                        LOG.log(System.Logger.Level.WARNING, "the database has no audit chain but this data directory had chain "
                                + found.get().chainId() + "; keeping that chain's files aside and starting a new one");
                        keys.retire(found.get());
                    }
                    String chainId = "chain-" + UUID.randomUUID();
                    long legacyUntil = legacyFormUntil();
                    anchor = keys.create(chainId, List.of());
                    rt.db.write(c -> {
                        rt.settings.put(c, CHAIN_ID, chainId);
                        rt.settings.put(c, LEGACY_UNTIL, Long.toString(legacyUntil));
                        return null;
                    });
                    if (found.isPresent()) {
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("chain_id", chainId);
                        data.put("key_id", anchor.keyId());
                        data.put("legacy_form_until_seq", legacyUntil);
                        data.put("previous_chain_id", found.get().chainId());
                        rt.write(tx -> tx.event(EventTypes.AUDIT_CHAIN_STARTED, null, null, Principal.system(), data));
                    }
                } else if (found.isEmpty()) {
                    // the anchor was deleted: without it the old public key is unknown, so the checkpoints signed
                    // before will not verify, and verification says so
                    anchor = keys.create(dbChain.get(), List.of());
                    keyReplaced(null, "chain.json was missing");
                } else if (!found.get().chainId().equals(dbChain.get())) {
                    anchor = null;
                    setProblem("this database belongs to audit chain " + dbChain.get() + ", not to this data directory's chain "
                            + found.get().chainId() + " (" + keys.folder().resolve("chain.json")
                            + "): it was swapped or copied in, so it is not signed");
                    return Optional.empty();
                } else {
                    anchor = found.get();
                }
                return Optional.of(anchor);
            }
        } catch (IOException | RuntimeException e) {
            setProblem("the audit chain cannot be set up: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The anchor's private key; a key that is gone is replaced (and recorded), one out of reach is waited for. */
    private Optional<PrivateKey> signingKey() {
        if (privateKey != null) {
            return Optional.of(privateKey);
        }
        try {
            Optional<PrivateKey> found = keys.privateKey(anchor);
            if (found.isEmpty()) {
                AuditKeys.Anchor old = anchor;
                List<AuditKeys.RetiredKey> retired = new ArrayList<>(old.retiredKeys());
                retired.add(new AuditKeys.RetiredKey(old.keyId(), old.publicKey()));
                anchor = keys.create(old.chainId(), retired);
                keyReplaced(old.keyId(), "the signing key was not found in the " + old.keyStore());
                found = keys.privateKey(anchor);
            }
            privateKey = found.orElse(null);
            if (privateKey != null) {
                problem = Optional.empty();
            }
            return found;
        } catch (IOException e) {
            setProblem("checkpoints cannot be signed now: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void keyReplaced(String oldKeyId, String reason) {
        LOG.log(System.Logger.Level.WARNING, "audit signing key replaced: " + reason);
        rt.write(tx -> {
            Map<String, Object> data = new LinkedHashMap<>();
            if (oldKeyId != null) {
                data.put("old_key_id", oldKeyId);
            }
            data.put("key_id", anchor.keyId());
            data.put("reason", reason);
            tx.event(EventTypes.AUDIT_KEY_REPLACED, null, null, Principal.system(), data);
            return null;
        });
    }

    private void setProblem(String why) {
        if (!problem.equals(Optional.of(why))) {
            LOG.log(System.Logger.Level.WARNING, why);
        }
        problem = Optional.of(why);
    }

    /**
     * The newest seq whose event was hashed in the form used before RFC 8785 and hashes differently under RFC 8785
     * (0: none): events up to it keep verifying under the old form. Scanned once, when a chain begins on an existing
     * database.
     */
    private long legacyFormUntil() {
        long until = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<AuditEvent> chunk = rt.db.read(c -> rt.audit.after(c, Optional.empty(), from, VERIFY_CHUNK));
            if (chunk.isEmpty()) {
                return until;
            }
            for (AuditEvent e : chunk) {
                // by the hash it was stored with: events written in the RFC 8785 form before the chain began
                // (no checkpoint yet) differ from the earlier form too, and must not be read in it
                String legacy = AuditChain.legacyCanonicalJson(e);
                if (!AuditChain.canonicalJson(e).equals(legacy) && AuditChain.digest(e.prevHash(), legacy).equals(e.hash())) {
                    until = e.seq();
                }
            }
            after = chunk.get(chunk.size() - 1).seq();
        }
    }

    AuditStatus status() {
        Optional<AuditKeys.Anchor> a;
        synchronized (this) {
            a = anchor != null ? Optional.of(anchor) : ensureChain();
        }
        return rt.db.read(c -> new AuditStatus(rt.settings.get(c, CHAIN_ID), a.map(AuditKeys.Anchor::publicKey),
                a.map(AuditKeys.Anchor::keyId),
                a.map(x -> x.retiredKeys().stream().map(AuditKeys.RetiredKey::publicKey).toList()).orElse(List.of()),
                rt.audit.lastSeq(c), store.last(c),
                rt.settings.get(c, LEGACY_UNTIL).map(Long::parseLong).orElse(0L), problem));
    }

    List<AuditCheckpoint> checkpoints(long afterNumber, int limit) {
        return rt.db.read(c -> store.after(c, afterNumber, limit));
    }

    /**
     * Checks {@code fromSeq..toSeq} (clamped to the events stored) and every checkpoint, in the database and in
     * {@code checkpoints.jsonl}. Interrupting the thread cancels it with a {@link CancellationException}.
     */
    ChainVerification verify(long fromSeq, long toSeq, AuditProgress progress) {
        synchronized (this) {
            if (anchor == null) {
                ensureChain();
            }
        }
        Optional<AuditKeys.Anchor> a;
        List<AuditCheckpoint> outside;
        try {
            a = keys.anchor();
            outside = file.readAll();
        } catch (IOException e) {
            return new Failed(Problem.UNREADABLE, 0, 0, e.getMessage());
        }
        // in this order, so a checkpoint signed meanwhile never signs a seq beyond the head read here
        List<AuditCheckpoint> stored = rt.db.read(store::all);
        Optional<String> dbChain = rt.db.read(c -> rt.settings.get(c, CHAIN_ID));
        long head = rt.db.read(rt.audit::lastSeq);
        long legacy = rt.db.read(c -> rt.settings.get(c, LEGACY_UNTIL).map(Long::parseLong).orElse(0L));
        if (a.isPresent() && dbChain.isPresent() && !a.get().chainId().equals(dbChain.get())) {
            return new Failed(Problem.FOREIGN_DATABASE, 0, 0, "this database holds audit chain " + dbChain.get()
                    + ", but this data directory's chain is " + a.get().chainId() + ": the database was swapped or copied in");
        }
        AuditVerifier.Trust trust = a.map(AuditKeys.Anchor::trust)
                .orElse(new AuditVerifier.Trust(dbChain.orElse("none"), Map.of()));
        AuditVerifier verifier = new AuditVerifier(trust, legacy, true);
        Optional<Failed> bad = verifier.checkpoints(stored, outside, true);
        if (bad.isPresent()) {
            return bad.get();
        }
        long from = Math.max(1, fromSeq);
        long to = Math.min(toSeq, head);
        String prev = AuditChain.GENESIS;
        if (from > 1 && from <= to) {
            List<AuditEvent> before = rt.db.read(c -> rt.audit.after(c, Optional.empty(), from - 2, 1));
            if (before.isEmpty() || before.get(0).seq() != from - 1) {
                return ChainVerification.gap(from - 1);
            }
            prev = before.get(0).hash();
        }
        verifier.start(from, prev);
        long total = Math.max(0, to - from + 1);
        long next = from;
        progress.progress(0, total);
        while (next <= to) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CancellationException("verification cancelled at seq " + next);
            }
            long after = next - 1;
            int limit = (int) Math.min(VERIFY_CHUNK, to - next + 1);
            List<AuditVerifier.Entry> chunk = rt.db.read(c -> rt.audit.entries(c, after, limit));
            if (chunk.isEmpty()) {
                return ChainVerification.gap(next);
            }
            for (AuditVerifier.Entry e : chunk) {
                Optional<Failed> failed = verifier.accept(e);
                if (failed.isPresent()) {
                    return failed.get();
                }
            }
            next = chunk.get(chunk.size() - 1).seq() + 1;
            progress.progress(next - from, total);
        }
        return verifier.finish(to, head);
    }

    /** The anchor's trust (chain id and keys), for an export. */
    Optional<AuditKeys.Anchor> anchor() throws IOException {
        return keys.anchor();
    }
}
