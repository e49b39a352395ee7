package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class E2bConfigTest {
    @Test
    void defaultsAreE2bsOwnHostsWithTheStableSandboxHost() {
        E2bConfig c = E2bConfig.fromEnvironment(Map.of());
        assertEquals("https://api.e2b.app", c.apiUrl().toString());
        assertEquals(new E2bConfig.EnvdAddress("https://sandbox.e2b.app", true), c.envd("ixyz", Optional.empty()));
    }

    @Test
    void aCustomDomainUsesTheDirectHostAndTheSandboxsOwnDomainWins() {
        E2bConfig c = E2bConfig.fromEnvironment(Map.of("E2B_DOMAIN", "sandboxes.example.com"));
        assertEquals("https://api.sandboxes.example.com", c.apiUrl().toString());
        assertEquals(new E2bConfig.EnvdAddress("https://49983-ixyz.sandboxes.example.com", false), c.envd("ixyz", Optional.empty()));
        assertEquals(new E2bConfig.EnvdAddress("https://49983-ixyz.other.example", false),
                c.envd("ixyz", Optional.of("other.example")));
        assertEquals("https://e2b.internal:8443", E2bConfig.fromEnvironment(
                Map.of("E2B_API_URL", "https://e2b.internal:8443")).apiUrl().toString());
    }

    @Test
    void plainHttpOnlyToThisComputer() {
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                () -> E2bConfig.fromEnvironment(Map.of("E2B_API_URL", "http://e2b.example.com")));
        assertTrue(e.getMessage().contains("https://"), e.getMessage());
        E2bConfig local = E2bConfig.fromEnvironment(Map.of("E2B_API_URL", "http://127.0.0.1:3000",
                "E2B_SANDBOX_URL", "http://localhost:49983"));
        assertEquals(new E2bConfig.EnvdAddress("http://localhost:49983", true), local.envd("ixyz", Optional.empty()));
        assertThrows(RunnerException.InvalidRequest.class, () -> E2bConfig.fromEnvironment(Map.of("E2B_DOMAIN", "bad domain")));
    }

    @Test
    void shellQuotingKeepsEveryWord() {
        assertEquals("echo plain 'two words' 'it'\"'\"'s' '' '$HOME'", ShellQuote.join(List.of("echo", "plain", "two words", "it's", "", "$HOME")));
    }
}
