package dev.runnerdesk.policy;

import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Egress allowlist entries: what each form allows, and the messages for what is not an entry. */
class EgressRuleTest {
    @ParameterizedTest(name = "{0} allows {1}:{2} = {3}")
    @CsvSource({
            "example.com, example.com, 443, true",
            "example.com, EXAMPLE.com, 80, true",
            "example.com, api.example.com, 443, false",
            "*.example.com, api.example.com, 443, true",
            "*.example.com, a.b.example.com, 443, true",
            "*.example.com, example.com, 443, false",
            "*.example.com, badexample.com, 443, false",
            "api.example.com:443, api.example.com, 443, true",
            "api.example.com:443, api.example.com, 80, false",
            "10.0.0.0/8, 10.1.2.3, 22, true",
            "10.0.0.0/8, 11.0.0.1, 22, false",
            "10.0.0.0/8, ten.example.com, 22, false",
            "127.0.0.1:8080, 127.0.0.1, 8080, true",
            "127.0.0.1:8080, 127.0.0.1, 8081, false",
            "'[2001:db8::]/32', '2001:db8::1', 443, true",
            "'[2001:db8::]/32', '2001:db9::1', 443, false",
            "'[::1]:80', '[::1]', 80, true",
    })
    void entriesAllowWhatTheySay(String entry, String host, int port, boolean allowed) {
        assertEquals(allowed, EgressRule.parse(entry).allows(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "exa mple.com", "*.*.example.com", "foo*.example.com", "example.com:0", "example.com:70000",
            "example.com:http", "10.0.0.0/33", "300.1.1.1", "2001:db8::1", "[2001:db8::1", "-bad-.example.com"})
    void whatIsNotAnEntryIsNamed(String entry) {
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, () -> EgressRule.parse(entry));
        assertTrue(e.getMessage().startsWith("egress_allowlist entry"), e.getMessage());
    }

    @Test
    void anEmptyListAllowsNothing() {
        assertEquals(false, EgressRule.anyAllows(List.of(), "example.com", 443));
    }
}
