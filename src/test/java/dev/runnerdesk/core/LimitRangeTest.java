package dev.runnerdesk.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One rule, one message: the TTL range as the service, the dialogs and the help texts say it. */
class LimitRangeTest {
    @Test
    void theTtlRangeIsSaidTheSameWayWhereverItIsChecked() {
        RunnerException.InvalidRequest create = assertThrows(RunnerException.InvalidRequest.class,
                () -> CreateRunnerRequest.TTL.check("", 59));
        assertEquals("ttl_seconds must be between 60 and 86,400 seconds, got 59", create.getMessage());
        assertEquals(Optional.of("ttl_seconds"), create.field());
        RunnerException.InvalidRequest policy = assertThrows(RunnerException.InvalidRequest.class,
                () -> ProfilePolicy.MAX_TTL.check("locked.", 86_401));
        assertEquals("locked.max_ttl_seconds must be between 60 and 86,400 seconds, got 86401", policy.getMessage());
        assertEquals(Optional.of("between 60 and 86,400 seconds"), CreateRunnerRequest.TTL.problem(10), "the dialogs' words");
        assertEquals("60–86,400", CreateRunnerRequest.TTL.span());
        assertEquals(CreateRunnerRequest.MIN_TTL_SECONDS, CreateRunnerRequest.TTL.min(), "the help text's constants are the rule's");
        assertEquals(CreateRunnerRequest.MAX_TTL_SECONDS, CreateRunnerRequest.TTL.max());
    }

    @Test
    void aProfilesMaximumNarrowsTheRangeForAnOverride() {
        LimitRange override = CreateRunnerRequest.TTL.upTo(3_600).named("ttl_override");
        assertTrue(override.contains(3_600));
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, () -> override.check("", 3_601));
        assertEquals("ttl_override must be between 60 and 3,600 seconds, got 3601", e.getMessage());
        assertEquals(86_400, CreateRunnerRequest.TTL.upTo(100_000).max(), "never wider than the rule");
    }
}
