package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.ui.timeline.ChainBadge.FullCheck;
import dev.runnerdesk.ui.timeline.ChainBadge.LoadedCheck;
import dev.runnerdesk.ui.timeline.ChainBadge.Signing;
import dev.runnerdesk.ui.timeline.TimelineModel.ChainStatus;
import dev.runnerdesk.ui.timeline.TimelineModel.ChainStatus.Kind;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chain badge's words, from the parts the controller hands in; no window, no backend. */
class ChainBadgeTest {
    private static final Instant SIGNED_AT = Instant.parse("2030-01-01T10:00:00Z");
    private static final String CHAIN = "chain-test";
    private static final String HASH_12345 = "a".repeat(64);
    private static final LongFunction<Optional<String>> NOTHING_LOADED = seq -> Optional.empty();
    private final KeyPair key = AuditSignatures.generate();
    private final String publicKey = AuditSignatures.encodePublic(key.getPublic());
    private final LoadedCheck loadedOk = LoadedCheck.of(new ChainVerification.Verified(12_201, 12_400, 200));

    private AuditCheckpoint checkpoint(KeyPair signer, long seq) {
        String keyId = AuditSignatures.keyId(AuditSignatures.encodePublic(signer.getPublic()));
        AuditCheckpoint unsigned = new AuditCheckpoint(7, CHAIN, seq, HASH_12345, SIGNED_AT, AuditCheckpoint.GENESIS, keyId, "");
        return new AuditCheckpoint(7, CHAIN, seq, HASH_12345, SIGNED_AT, AuditCheckpoint.GENESIS, keyId,
                AuditSignatures.sign(signer.getPrivate(), unsigned.payload()));
    }

    private AuditStatus status(long head, Optional<AuditCheckpoint> last, Optional<String> problem) {
        return new AuditStatus(Optional.of(CHAIN), Optional.of(publicKey), Optional.of(AuditSignatures.keyId(publicKey)),
                List.of(), head, last, 0, problem);
    }

    private ChainStatus badge(LoadedCheck loaded, Signing signing, Instant now) {
        return ChainBadge.compose(loaded, signing, Optional.empty(), NOTHING_LOADED, now);
    }

    @Test
    void aSignedChainSaysHowFarAndHowLongAgoAndCountsTheEventsNotSignedYet() {
        Signing signing = ChainBadge.inspect(status(12_400, Optional.of(checkpoint(key, 12_345)), Optional.empty()));
        ChainStatus s = badge(loadedOk, signing, SIGNED_AT.plus(Duration.ofSeconds(125)));
        assertEquals(Kind.VERIFIED, s.kind());
        assertEquals("verified and signed to seq 12,345 · 2 min ago", s.text());
        assertTrue(s.detail().contains("55 newer events are not signed yet"), s.detail());
        assertTrue(s.detail().contains("Checkpoint 7 signed seq 12,345"), s.detail());
        // the same badge redrawn an hour later
        assertEquals("verified and signed to seq 12,345 · 1 h ago", badge(loadedOk, signing, SIGNED_AT.plus(Duration.ofMinutes(61))).text());
    }

    @Test
    void noCheckpointYetIsSaidWithoutAlarm() {
        ChainStatus s = badge(loadedOk, ChainBadge.inspect(status(5, Optional.empty(), Optional.empty())), SIGNED_AT);
        assertEquals(Kind.VERIFIED, s.kind());
        assertEquals("verified · not signed yet", s.text());
        assertTrue(s.detail().contains("No checkpoint is signed yet"), s.detail());
    }

    @Test
    void aHeadBehindTheSignedSeqIsATruncation() {
        ChainStatus s = badge(loadedOk, ChainBadge.inspect(status(12_300, Optional.of(checkpoint(key, 12_345)), Optional.empty())),
                SIGNED_AT);
        assertEquals(Kind.BROKEN, s.kind());
        assertEquals("truncated at seq 12,301", s.text());
        assertTrue(s.detail().contains("the newest events were deleted"), s.detail());
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsABadSignature() {
        KeyPair stranger = AuditSignatures.generate();
        ChainStatus s = badge(loadedOk, ChainBadge.inspect(status(12_400, Optional.of(checkpoint(stranger, 12_345)),
                Optional.empty())), SIGNED_AT);
        assertEquals(Kind.BROKEN, s.kind());
        assertEquals("bad signature at seq 12,345", s.text());
    }

    @Test
    void aLoadedEventThatIsNotTheOneSignedIsARewrite() {
        Signing signing = ChainBadge.inspect(status(12_400, Optional.of(checkpoint(key, 12_345)), Optional.empty()));
        ChainStatus s = ChainBadge.compose(loadedOk, signing, Optional.empty(),
                seq -> seq == 12_345 ? Optional.of("b".repeat(64)) : Optional.empty(), SIGNED_AT);
        assertEquals(Kind.BROKEN, s.kind());
        assertEquals("rewritten at seq 12,345", s.text());
        ChainStatus same = ChainBadge.compose(loadedOk, signing, Optional.empty(),
                seq -> seq == 12_345 ? Optional.of(HASH_12345) : Optional.empty(), SIGNED_AT);
        assertEquals(Kind.VERIFIED, same.kind());
    }

    @Test
    void whySigningStoppedTurnsTheBadgeRed() {
        String why = "this database belongs to audit chain chain-b, not to this data directory's chain chain-a";
        ChainStatus s = badge(loadedOk, ChainBadge.inspect(status(12_400, Optional.of(checkpoint(key, 12_345)), Optional.of(why))),
                SIGNED_AT);
        assertEquals(Kind.BROKEN, s.kind());
        assertEquals("not signing: " + why, s.text());
        assertTrue(s.detail().contains(why), s.detail());
    }

    @Test
    void aProblemVerifyAllFoundWinsOverAVerifiedPage() {
        Signing signing = ChainBadge.inspect(status(12_400, Optional.of(checkpoint(key, 12_345)), Optional.empty()));
        FullCheck found = new FullCheck(new ChainVerification.Failed(ChainVerification.Problem.CONTENT_CHANGED, 41, 0,
                "the event's content does not match its hash"), SIGNED_AT);
        ChainStatus s = ChainBadge.compose(loadedOk, signing, Optional.of(found), NOTHING_LOADED, SIGNED_AT);
        assertEquals(Kind.BROKEN, s.kind());
        assertEquals("content changed at seq 41", s.text());
        assertTrue(s.detail().startsWith("Verify all ("), s.detail());
    }

    @Test
    void withoutASignedTrailTheBadgeIsTheLoadedCheckAndSaysWhy() {
        ChainStatus s = badge(loadedOk, new Signing.Absent("this gateway has no signed audit trail"), SIGNED_AT);
        assertEquals(Kind.VERIFIED, s.kind());
        assertEquals("verified", s.text());
        assertTrue(s.detail().contains("This gateway has no signed audit trail."), s.detail());
        assertEquals("chain check needs the unfiltered view", badge(LoadedCheck.UNCHECKED, Signing.UNKNOWN, SIGNED_AT).text());
    }

    @Test
    void agoIsShortAndRounded() {
        assertEquals("just now", ChainBadge.ago(SIGNED_AT, SIGNED_AT.plusSeconds(59)));
        assertEquals("just now", ChainBadge.ago(SIGNED_AT, SIGNED_AT.minusSeconds(5)), "a clock behind the signer");
        assertEquals("2 min ago", ChainBadge.ago(SIGNED_AT, SIGNED_AT.plusSeconds(179)));
        assertEquals("47 h ago", ChainBadge.ago(SIGNED_AT, SIGNED_AT.plus(Duration.ofHours(47))));
        assertEquals("3 days ago", ChainBadge.ago(SIGNED_AT, SIGNED_AT.plus(Duration.ofHours(72))));
    }
}
