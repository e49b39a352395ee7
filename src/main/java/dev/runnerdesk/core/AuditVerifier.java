package dev.runnerdesk.core;

import dev.runnerdesk.core.ChainVerification.Failed;
import dev.runnerdesk.core.ChainVerification.Problem;

import java.security.PublicKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks an audit trail against its signed checkpoints, whatever it is read from (the database, an export file,
 * a gateway): first the checkpoints on their own (chain id, signer, signature, links), then the events in ascending
 * seq order as they are handed to {@link #accept} (gaps, links, content, and at each checkpoint's seq the hash it
 * signed), and at {@link #finish} whether the head is behind a checkpoint (the newest events were deleted).
 * Not thread-safe; one verifier checks one range once.
 */
public final class AuditVerifier {
    /** Who may have signed this chain: its id and its keys by key id (the current one and any it replaced). */
    public record Trust(String chainId, Map<String, PublicKey> keys) {
        public Trust {
            Objects.requireNonNull(chainId, "chainId");
            keys = Map.copyOf(keys);
        }
    }

    private final Trust trust;
    private final long legacyUntilSeq;
    private final boolean contiguous;
    /** Every known checkpoint by number (database ∪ outside copy). */
    private final TreeMap<Long, AuditCheckpoint> checkpoints = new TreeMap<>();
    private final Map<Long, AuditCheckpoint> bySeq = new HashMap<>();
    /** Checkpoints found outside the database but not in it, by number. */
    private final TreeMap<Long, AuditCheckpoint> onlyOutside = new TreeMap<>();
    private long fromSeq = -1;
    private String expectedPrev;
    private long lastSeq;
    private long count;
    private AuditCheckpoint lastChecked;

    /**
     * @param legacyUntilSeq events up to this seq are hashed in the form used before RFC 8785 (0: none)
     * @param contiguous     false for an export narrowed to some event types: each event's hash is checked, but
     *                       not its link to the one before, nor gaps
     */
    public AuditVerifier(Trust trust, long legacyUntilSeq, boolean contiguous) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.legacyUntilSeq = legacyUntilSeq;
        this.contiguous = contiguous;
    }

    /**
     * Takes the checkpoints and checks them on their own. {@code stored} are the database's (all of them, or for an
     * export those it spans), {@code outside} those kept elsewhere ({@code checkpoints.jsonl}); each of those must be
     * in {@code stored} unchanged. Returns the first problem, or empty.
     */
    public Optional<Failed> checkpoints(Collection<AuditCheckpoint> stored, Collection<AuditCheckpoint> outside,
                                        boolean storedFromFirst) {
        Map<Long, AuditCheckpoint> inStore = new HashMap<>();
        for (AuditCheckpoint cp : stored) {
            inStore.put(cp.number(), cp);
            checkpoints.put(cp.number(), cp);
        }
        for (AuditCheckpoint cp : outside) {
            AuditCheckpoint same = inStore.get(cp.number());
            if (same == null) {
                onlyOutside.put(cp.number(), cp);
                checkpoints.put(cp.number(), cp);
            } else if (!same.equals(cp)) {
                Optional<Failed> signer = signature(same).or(() -> signature(cp));
                if (signer.isPresent()) {
                    return signer;
                }
                return Optional.of(new Failed(Problem.CHECKPOINT_MISSING, cp.seq(), cp.number(),
                        "checkpoint " + cp.number() + " in the database differs from the copy kept outside it"));
            }
        }
        AuditCheckpoint previous = null;
        for (AuditCheckpoint cp : checkpoints.values()) {
            Optional<Failed> bad = signature(cp);
            if (bad.isPresent()) {
                return bad;
            }
            boolean first = previous == null;
            if (first ? storedFromFirst && cp.number() != 1 : cp.number() != previous.number() + 1) {
                long missing = first ? 1 : previous.number() + 1;
                return Optional.of(new Failed(Problem.CHECKPOINT_MISSING, cp.seq(), missing,
                        "checkpoint " + missing + " is missing (the next one is " + cp.number() + ")"));
            }
            String expected = first ? (cp.number() == 1 ? AuditCheckpoint.GENESIS : null) : previous.hash();
            if (expected != null && !expected.equals(cp.prevCheckpointHash())) {
                return Optional.of(new Failed(Problem.CHECKPOINT_CHAIN_BROKEN, cp.seq(), cp.number(),
                        "checkpoint " + cp.number() + " does not link to checkpoint " + (cp.number() - 1)));
            }
            if (!first && cp.seq() <= previous.seq()) {
                return Optional.of(new Failed(Problem.CHECKPOINT_CHAIN_BROKEN, cp.seq(), cp.number(),
                        "checkpoint " + cp.number() + " signs seq " + cp.seq() + ", not after checkpoint "
                                + previous.number() + "'s seq " + previous.seq()));
            }
            bySeq.put(cp.seq(), cp);
            previous = cp;
        }
        return Optional.empty();
    }

    private Optional<Failed> signature(AuditCheckpoint cp) {
        if (!trust.chainId().equals(cp.chainId())) {
            return Optional.of(new Failed(Problem.FOREIGN_DATABASE, cp.seq(), cp.number(), "checkpoint " + cp.number()
                    + " belongs to chain " + cp.chainId() + ", not to this chain " + trust.chainId()));
        }
        PublicKey key = trust.keys().get(cp.keyId());
        if (key == null) {
            return Optional.of(new Failed(Problem.BAD_SIGNATURE, cp.seq(), cp.number(), "checkpoint " + cp.number()
                    + " is signed by key " + cp.keyId() + ", which is not this chain's key ("
                    + String.join(", ", new TreeSet<>(trust.keys().keySet())) + ")"));
        }
        if (!AuditSignatures.verify(key, cp.payload(), cp.signature())) {
            return Optional.of(new Failed(Problem.BAD_SIGNATURE, cp.seq(), cp.number(),
                    "the signature of checkpoint " + cp.number() + " does not verify: it was forged or altered"));
        }
        return Optional.empty();
    }

    /**
     * Starts the walk at {@code fromSeq}; {@code prevHash} is the hash of the event before it when known (the
     * genesis value at seq 1), else null and the first event's own link is not checked.
     */
    public void start(long fromSeq, String prevHash) {
        this.fromSeq = fromSeq;
        this.expectedPrev = prevHash;
        this.lastSeq = fromSeq - 1;
    }

    /**
     * An event as the verifier sees it: its seq, its stored links, and the hash its content gives now (in the form
     * used before RFC 8785 when {@code legacy}). A store may compute that from the stored text without parsing it.
     */
    public interface Entry {
        long seq();

        String prevHash();

        String hash();

        String computeHash(boolean legacy);
    }

    /** Checks the next event; returns the first problem, or empty. */
    public Optional<Failed> accept(AuditEvent event) {
        return accept(new Entry() {
            @Override
            public long seq() {
                return event.seq();
            }

            @Override
            public String prevHash() {
                return event.prevHash();
            }

            @Override
            public String hash() {
                return event.hash();
            }

            @Override
            public String computeHash(boolean legacy) {
                return legacy ? AuditChain.legacyHash(event) : AuditChain.hashOf(event);
            }
        });
    }

    /** Checks the next event; returns the first problem, or empty. */
    public Optional<Failed> accept(Entry event) {
        if (fromSeq < 0) {
            throw new IllegalStateException("start() first");
        }
        if (contiguous && event.seq() != lastSeq + 1) {
            return Optional.of(event.seq() > lastSeq + 1 ? ChainVerification.gap(lastSeq + 1)
                    : new Failed(Problem.GAP, event.seq(), 0, "event " + event.seq() + " comes again after " + lastSeq));
        }
        if (!contiguous && event.seq() <= lastSeq) {
            return Optional.of(new Failed(Problem.GAP, event.seq(), 0, "events are not in ascending seq order"));
        }
        if (contiguous && expectedPrev != null && !expectedPrev.equals(event.prevHash())) {
            return Optional.of(ChainVerification.linkBroken(event.seq()));
        }
        String hash = event.computeHash(event.seq() <= legacyUntilSeq);
        if (!hash.equals(event.hash())) {
            return Optional.of(ChainVerification.contentChanged(event.seq()));
        }
        AuditCheckpoint cp = bySeq.get(event.seq());
        if (cp != null) {
            if (!cp.eventHash().equals(event.hash())) {
                AuditCheckpoint before = checkpoints.lowerEntry(cp.number()) == null ? null
                        : checkpoints.lowerEntry(cp.number()).getValue();
                return Optional.of(new Failed(Problem.REWRITTEN, event.seq(), cp.number(), "event " + event.seq()
                        + " is not the one checkpoint " + cp.number() + " signed: the chain was recomputed after a change"
                        + (before != null ? " to an event after seq " + before.seq() : "")));
            }
            lastChecked = cp;
        }
        expectedPrev = event.hash();
        lastSeq = event.seq();
        count++;
        return Optional.empty();
    }

    /**
     * Ends the walk. {@code headSeq} is the newest seq that exists (for a range ending before the head, the
     * range's end): a checkpoint signing a later seq means the newest events were deleted.
     */
    public ChainVerification finish(long toSeq, long headSeq) {
        if (!checkpoints.isEmpty() && checkpoints.lastEntry().getValue().seq() > headSeq) {
            AuditCheckpoint cp = checkpoints.lastEntry().getValue();
            return new Failed(Problem.TRUNCATED, headSeq + 1, cp.number(), String.format(Locale.ROOT,
                    "the trail ends at seq %,d but checkpoint %d signed seq %,d: the newest events were deleted",
                    headSeq, cp.number(), cp.seq()));
        }
        if (!onlyOutside.isEmpty()) {
            AuditCheckpoint cp = onlyOutside.firstEntry().getValue();
            return new Failed(Problem.CHECKPOINT_MISSING, cp.seq(), cp.number(),
                    "checkpoint " + cp.number() + " is in checkpoints.jsonl but not in the database");
        }
        long checked = checkpoints.values().stream().filter(cp -> cp.seq() >= fromSeq && cp.seq() <= lastSeq).count();
        return new ChainVerification.Verified(fromSeq, count == 0 ? toSeq : lastSeq, count,
                lastChecked == null ? 0 : lastChecked.seq(),
                lastChecked == null ? Optional.empty() : Optional.of(lastChecked.time()), checked);
    }

    /** The newest checkpoint known, if any. */
    public Optional<AuditCheckpoint> newest() {
        return checkpoints.isEmpty() ? Optional.empty() : Optional.of(checkpoints.lastEntry().getValue());
    }

    public long count() {
        return count;
    }
}
