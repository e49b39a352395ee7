package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a person is told about a failure: the reason, never a Java class name. */
class NotifierTest {
    @Test
    void aFailureIsDescribedWithoutItsClassName() {
        assertEquals("ttl_seconds must be 60–86400", Notifier.describe(
                new RunnerException.InvalidRequest("ttl_seconds", "InvalidRequest: ttl_seconds must be 60–86400")));
        assertEquals("gone", Notifier.describe(new IllegalStateException("java.io.IOException: gone")));
        assertEquals("connection refused", Notifier.describe(new UncheckedIOException(new IOException("connection refused"))));
        assertEquals("something went wrong (no details)", Notifier.describe(new NullPointerException()));
        assertEquals("Runner: a message that starts with a word", Notifier.describe(
                new IllegalStateException("Runner: a message that starts with a word")));
    }
}
