package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.AuditVerifier;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.ChainVerification.Failed;
import dev.runnerdesk.core.ChainVerification.Problem;
import dev.runnerdesk.ui.common.RelativeTime;
import dev.runnerdesk.ui.timeline.TimelineModel.ChainStatus;
import dev.runnerdesk.ui.timeline.TimelineModel.ChainStatus.Kind;

import java.security.PublicKey;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The chain badge's words: what the timeline checked of the events it loaded, joined with what the backend says of
 * its newest signed checkpoint and with the last Verify all. No JavaFX and no service calls: the controller hands in
 * the parts and the time, so every wording is testable on its own.
 */
final class ChainBadge {
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private ChainBadge() {
    }

    /** What the timeline checked of the events it loaded: nothing yet, nothing (a filter), or a result. */
    record LoadedCheck(State state, ChainVerification result) {
        enum State { NONE, UNCHECKED, CHECKED }

        static final LoadedCheck NONE = new LoadedCheck(State.NONE, null);
        static final LoadedCheck UNCHECKED = new LoadedCheck(State.UNCHECKED, null);

        static LoadedCheck of(ChainVerification result) {
            return new LoadedCheck(State.CHECKED, Objects.requireNonNull(result));
        }
    }

    /** What the backend says of its signed trail. */
    sealed interface Signing {
        /** Not asked yet (or the connection changed). */
        record Unknown() implements Signing {
        }

        /** The status, and the first problem its newest checkpoint shows on its own (signature, chain id, truncation). */
        record Known(AuditStatus status, Optional<Failed> checkpointProblem) implements Signing {
        }

        /** The backend keeps no signed trail: a gateway without the audit endpoints. */
        record Absent(String why) implements Signing {
        }

        /** Asking failed (offline, refused); the badge shows the loaded check alone. */
        record Unreadable(String why) implements Signing {
        }

        Signing UNKNOWN = new Unknown();
    }

    /** The last Verify all: its outcome and when it ended. */
    record FullCheck(ChainVerification result, Instant at) {
    }

    /**
     * Checks the newest checkpoint of {@code status} against the chain id and keys the status names, and the head
     * against it (a head behind a signed seq: the newest events were deleted). One Ed25519 check: cheap, but off the
     * FX thread with the status call.
     */
    static Signing.Known inspect(AuditStatus status) {
        Optional<AuditCheckpoint> last = status.lastCheckpoint();
        if (last.isEmpty()) {
            return new Signing.Known(status, Optional.empty());
        }
        AuditCheckpoint cp = last.get();
        Map<String, PublicKey> keys = new HashMap<>();
        try {
            List<String> all = new ArrayList<>(status.retiredPublicKeys());
            status.publicKey().ifPresent(all::add);
            for (String k : all) {
                keys.put(AuditSignatures.keyId(k), AuditSignatures.decodePublic(k));
            }
        } catch (IllegalArgumentException e) {
            return new Signing.Known(status, Optional.of(new Failed(Problem.BAD_SIGNATURE, cp.seq(), cp.number(),
                    "the chain's public key cannot be read: " + e.getMessage())));
        }
        AuditVerifier verifier = new AuditVerifier(new AuditVerifier.Trust(status.chainId().orElse("none"), keys),
                status.legacyFormUntilSeq(), true);
        Optional<Failed> problem = verifier.checkpoints(List.of(cp), List.of(), false);
        if (problem.isEmpty()) {
            verifier.start(status.headSeq() + 1, null);
            if (verifier.finish(status.headSeq(), status.headSeq()) instanceof Failed f) {
                problem = Optional.of(f);
            }
        }
        return new Signing.Known(status, problem);
    }

    /**
     * The badge. A problem wins, the most thorough finding first: Verify all, then the loaded events, then the newest
     * checkpoint, then why the backend cannot sign. Otherwise how far the chain is verified and signed.
     * {@code loadedHash} gives the hash of a loaded event by seq (empty when it is not loaded), to see that the
     * checkpoint signed the event shown.
     */
    static ChainStatus compose(LoadedCheck loaded, Signing signing, Optional<FullCheck> full,
                               LongFunction<Optional<String>> loadedHash, Instant now) {
        List<String> detail = new ArrayList<>();
        if (full.isPresent() && full.get().result() instanceof Failed f) {
            detail.add(String.format(Locale.ROOT, "Verify all (%s) found: %s.", AT.format(full.get().at()), f.describe()));
            return broken(f, detail);
        }
        if (loaded.state() == LoadedCheck.State.CHECKED && loaded.result() instanceof Failed f) {
            ChainStatus base = ChainStatus.of(f, 0, 0, 0);
            detail.add(base.detail());
            signingDetail(signing, now, detail);
            return new ChainStatus(base.kind(), base.text(), String.join("\n", detail));
        }
        if (signing instanceof Signing.Known k) {
            Optional<Failed> cpProblem = k.checkpointProblem().or(() -> rewritten(k.status(), loadedHash));
            if (cpProblem.isPresent()) {
                detail.add(cpProblem.get().describe() + ".");
                return broken(cpProblem.get(), detail);
            }
            if (k.status().problem().isPresent()) {
                String why = k.status().problem().get();
                detail.add("New events are not being signed: " + why + ".");
                signingDetail(signing, now, detail);
                return new ChainStatus(Kind.BROKEN, "not signing: " + why, String.join("\n", detail));
            }
        }
        if (loaded.state() == LoadedCheck.State.NONE) {
            return ChainStatus.none();
        }
        ChainStatus base = loaded.state() == LoadedCheck.State.UNCHECKED ? ChainStatus.unchecked()
                : ChainStatus.of(loaded.result(), from(loaded.result()), to(loaded.result()), count(loaded.result()));
        detail.add(base.detail());
        signingDetail(signing, now, detail);
        full.ifPresent(c -> detail.add(String.format(Locale.ROOT, "Verify all (%s): %s.", AT.format(c.at()), c.result().describe())));
        if (full.isEmpty() && signing instanceof Signing.Known) {
            detail.add("Verify all checks every event against every signed checkpoint.");
        }
        String text = base.text();
        if (base.kind() == Kind.VERIFIED && signing instanceof Signing.Known k) {
            text = k.status().lastCheckpoint()
                    .map(cp -> String.format(Locale.ROOT, "verified and signed to seq %,d · %s", cp.seq(), ago(cp.time(), now)))
                    .orElse("verified · not signed yet");
        }
        return new ChainStatus(base.kind(), text, String.join("\n", detail));
    }

    private static ChainStatus broken(Failed f, List<String> detail) {
        String text = f.problem().label() + (f.seq() > 0 ? String.format(Locale.ROOT, " at seq %,d", f.seq()) : "");
        return new ChainStatus(f.problem() == Problem.GAP ? Kind.GAP : Kind.BROKEN, text, String.join("\n", detail));
    }

    /** The checkpoint signed another event than the one loaded at its seq: the chain was recomputed. */
    private static Optional<Failed> rewritten(AuditStatus status, LongFunction<Optional<String>> loadedHash) {
        return status.lastCheckpoint().flatMap(cp -> loadedHash.apply(cp.seq())
                .filter(hash -> !hash.equals(cp.eventHash()))
                .map(hash -> new Failed(Problem.REWRITTEN, cp.seq(), cp.number(), "event " + cp.seq()
                        + " is not the one checkpoint " + cp.number() + " signed: the chain was recomputed after a change")));
    }

    private static void signingDetail(Signing signing, Instant now, List<String> detail) {
        if (signing instanceof Signing.Known k) {
            AuditStatus s = k.status();
            s.lastCheckpoint().ifPresentOrElse(cp -> detail.add(String.format(Locale.ROOT,
                    "Checkpoint %d signed seq %,d at %s (%s); its signature holds under the chain's key %s.", cp.number(),
                    cp.seq(), AT.format(cp.time()), ago(cp.time(), now), cp.keyId())),
                    () -> detail.add("No checkpoint is signed yet."));
            long unsigned = s.unsignedEvents();
            if (unsigned > 0) {
                detail.add(String.format(Locale.ROOT, "%,d newer %s not signed yet; the next checkpoint signs %s.",
                        unsigned, unsigned == 1 ? "event is" : "events are", unsigned == 1 ? "it" : "them"));
            }
        } else if (signing instanceof Signing.Absent a) {
            detail.add(capitalize(a.why()) + ".");
        } else if (signing instanceof Signing.Unreadable u) {
            detail.add("The signed checkpoints could not be read: " + u.why() + ".");
        }
    }

    static String ago(Instant then, Instant now) {
        return RelativeTime.ago(then, now);
    }

    private static long from(ChainVerification v) {
        return v instanceof ChainVerification.Verified ok ? ok.fromSeq() : 0;
    }

    private static long to(ChainVerification v) {
        return v instanceof ChainVerification.Verified ok ? ok.toSeq() : 0;
    }

    private static long count(ChainVerification v) {
        return v instanceof ChainVerification.Verified ok ? ok.count() : 0;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
