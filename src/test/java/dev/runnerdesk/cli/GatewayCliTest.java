package dev.runnerdesk.cli;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a gateway (`--gateway`), and the `keys` commands. */
class GatewayCliTest {
    @TempDir
    Path dir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private Path keyFile;

    @BeforeEach
    void start() throws IOException {
        runtime = EmbeddedRuntimes.open(dir.resolve("server"));
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
        keyFile = dir.resolve("key");
        Files.writeString(keyFile, runtime.apiKeys().create("cli", Role.ADMIN) + "\n");
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private String[] gateway(String sub, String... rest) {
        List<String> args = new ArrayList<>(List.of("runners", sub, "--gateway", server.baseUrl(), "--api-key-file", keyFile.toString()));
        args.addAll(List.of(rest));
        return run(args.toArray(String[]::new));
    }

    @Test
    void theSeedFlowRunsAgainstAGateway() throws Exception {
        String[] created = gateway("create", "--provider", "fake", "--profile", "locked", "--json");
        assertEquals("0", created[0], created[2]);
        String runner = (String) Json.readObject(created[1]).get("runner_id");
        String[] started = gateway("start", runner, "--json");
        String session = (String) Json.readObject(started[1]).get("session_id");
        String[] exec = gateway("exec", runner, session, "--", "echo", "hello");
        assertEquals("fake output\n", exec[1]);
        String[] events = gateway("events", runner);
        assertTrue(events[1].contains("command.executed") && events[1].contains("cli"), events[1]);
        assertEquals("0", gateway("stop", runner, session)[0]);
        assertEquals("0", gateway("terminate", runner, "--yes")[0]);
        Map<String, Object> after = Json.readObject(gateway("get", runner, "--json")[1]);
        assertEquals("terminated", after.get("state"));
    }

    @Test
    void aGatewayWithoutAKeyIsAClearError() {
        String[] result = run("runners", "list", "--gateway", server.baseUrl());
        if (System.getenv(ConnectionOptions.API_KEY_VARIABLE) == null) {
            assertEquals("1", result[0]);
            assertTrue(result[2].contains("RUNNERDESK_API_KEY") && result[2].contains("--api-key-file"), result[2]);
        }
        String[] insecure = gateway("list");
        assertEquals("0", insecure[0], insecure[2]);
        String[] remote = run("runners", "list", "--gateway", "http://gateway.example.com", "--api-key-file", keyFile.toString());
        assertEquals("1", remote[0]);
        assertTrue(remote[2].contains("plain HTTP"), remote[2]);
    }

    @Test
    void keysAreShownOnceAndListedByFingerprintOnly() throws IOException {
        Path data = dir.resolve("keys");
        String[] created = run("keys", "create", "--role", "operator", "--name", "ci-bot", "--data-dir", data.toString());
        assertEquals("0", created[0], created[2]);
        String key = created[1].trim();
        assertTrue(key.matches("cm_sk_[0-9a-f]{40}"), key);
        String[] listed = run("keys", "list", "--data-dir", data.toString());
        assertTrue(listed[1].contains("ci-bot") && listed[1].contains("operator"), listed[1]);
        assertFalse(listed[1].contains(key), "the key is never shown again");
        String stored = Files.readString(data.resolve("runnerdesk.db"), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains(key), "only the key's hash is stored");
        assertEquals("0", run("keys", "revoke", "ci-bot", "--data-dir", data.toString())[0]);
        assertEquals("1", run("keys", "revoke", "ci-bot", "--data-dir", data.toString())[0]);
    }

    @Test
    void anAuditorKeyFromKeysCreateIsListedAndServeLetsItReadButNotCreate() throws IOException {
        Path data = dir.resolve("audited");
        String[] created = run("keys", "create", "--role", "auditor", "--name", "audit-bot", "--data-dir", data.toString());
        assertEquals("0", created[0], created[2]);
        assertTrue(created[2].contains("Role auditor"), created[2]);
        String[] listed = run("keys", "list", "--data-dir", data.toString());
        assertTrue(listed[1].matches("(?s)audit-bot +auditor .*"), listed[1]);
        Path auditorKey = dir.resolve("auditor-key");
        Files.writeString(auditorKey, created[1].trim() + "\n");
        try (EmbeddedRuntime audited = EmbeddedRuntimes.open(data);
             GatewayServer served = new GatewayServer(audited, GatewayServer.Options.defaults().withPort(0)).start()) {
            String[] list = run("runners", "list", "--gateway", served.baseUrl(), "--api-key-file", auditorKey.toString());
            assertEquals("0", list[0], list[2]);
            String[] create = run("runners", "create", "--provider", "fake", "--profile", "locked",
                    "--gateway", served.baseUrl(), "--api-key-file", auditorKey.toString());
            assertEquals("1", create[0], create[1]);
            assertTrue(create[2].contains("role auditor may not create runners"), create[2]);
        }
        String[] unknown = run("keys", "create", "--role", "auditors", "--name", "x", "--data-dir", data.toString());
        assertTrue(unknown[2].contains("viewer, auditor, operator, admin"), unknown[2]);
    }
}
