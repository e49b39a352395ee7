package dev.runnerdesk.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class AuditChainTest {
    private static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        AuditChain.writeCanonical(out, value);
        return out.toString();
    }

    @Test
    void canonicalJsonSortsKeysAndHasNoWhitespace() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, "two", true));
        m.put("a", Map.of("z", 1L, "y", "\"q\"\n\u0001"));
        m.put("c", null);
        assertEquals("{\"a\":{\"y\":\"\\\"q\\\"\\n\\u0001\",\"z\":1},\"b\":[1,\"two\",true],\"c\":null}", canonical(m));
    }

    @Test
    void numbersHaveOneFormWhateverTheirJavaType() {
        assertEquals(canonical(5), canonical(5L));
        assertEquals("5", canonical(new BigDecimal("5.000")));
        assertEquals("1.5", canonical(1.5d));
        assertEquals("1.5", canonical(new BigDecimal("1.50")));
    }

    @Test
    void integersBeyondTwoToThe53AreWrittenAsTheirDoubleAsEcmaScriptWritesThem() {
        assertEquals("9007199254740992", canonical(1L << 53));
        assertEquals("-9007199254740992", canonical(-(1L << 53)));
        assertEquals("9007199254740992", canonical((1L << 53) + 1));
        assertEquals("-9007199254740996", canonical(-(1L << 53) - 3));
        assertEquals("9223372036854776000", canonical(Long.MAX_VALUE));
        // JSON.stringify(-9223372036854775808) in ECMAScript; Math.abs(Long.MIN_VALUE) is negative, which once
        // let this one through as "-9223372036854775808"
        assertEquals("-9223372036854776000", canonical(Long.MIN_VALUE));
        assertEquals("-9223372036854776000", canonical(new BigInteger("-9223372036854775808")));
    }

    private static AuditEvent event(long seq, String prev, String type) {
        Instant at = Instant.parse("2026-01-01T00:00:00.123Z");
        String hash = AuditChain.hash(prev, seq, type, at, "runner_1", null, "local", Map.of("k", seq));
        return new AuditEvent(seq, type, at, Optional.of("runner_1"), Optional.empty(), "local", Map.of("k", seq), prev, hash);
    }

    @Test
    void verifyFindsTheFirstGapOrBrokenLink() {
        AuditEvent e1 = event(1, AuditChain.GENESIS, "runner.created");
        AuditEvent e2 = event(2, e1.hash(), "runner.ready");
        AuditEvent e3 = event(3, e2.hash(), "session.started");
        assertEquals(new ChainVerification.Verified(1, 3, 3), AuditChain.verify(List.of(e1, e2, e3), AuditChain.GENESIS));
        assertEquals(ChainVerification.gap(2), AuditChain.verify(List.of(e1, e3), AuditChain.GENESIS));
        AuditEvent forged = new AuditEvent(2, "runner.terminated", e2.timestamp(), e2.runnerId(), e2.sessionId(), e2.actor(),
                e2.data(), e2.prevHash(), e2.hash());
        assertEquals(2, assertInstanceOf(ChainVerification.Failed.class, AuditChain.verify(List.of(e1, forged, e3), null)).seq());
        assertEquals(1, assertInstanceOf(ChainVerification.Failed.class, AuditChain.verify(List.of(e1), "f".repeat(64))).seq());
    }

    @Test
    void theHashCoversEveryField() {
        AuditEvent e = event(1, AuditChain.GENESIS, "runner.created");
        assertNotEquals(e.hash(), AuditChain.hash(AuditChain.GENESIS, 1, "runner.created", e.timestamp(), "runner_1", "sess_1",
                "local", e.data()));
        assertNotEquals(e.hash(), AuditChain.hash(AuditChain.GENESIS, 1, "runner.created", e.timestamp(), "runner_1", null,
                "someone", e.data()));
        assertNotEquals(e.hash(), AuditChain.hash(AuditChain.GENESIS, 1, "runner.created", e.timestamp().plusMillis(1),
                "runner_1", null, "local", e.data()));
    }
}
