package dev.runnerdesk.cli;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code runnerdesk audit export | verify --file | key}, locally and through {@code serve}. */
class AuditCliTest {
    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** Two runners with a session and a command each, a checkpoint after each (seqs 4 and 8), and a runner not signed yet. */
    private void populate(EmbeddedRuntime runtime) {
        RunnerService service = runtime.serviceFor(Principal.localUser());
        for (int i = 0; i < 2; i++) {
            Runner r = service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
            Session s = service.startSession(r.runnerId(), Optional.empty());
            service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "ünïcode \"quoted\" 🚀")));
            runtime.checkpointAudit();
        }
        service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
    }

    private EmbeddedRuntime open() {
        return new EmbeddedRuntime(data(), Clock.systemUTC(), List.of(new FakeProvider()));
    }

    private Path export(String... extra) {
        Path file = dir.resolve("export-" + extra.length + ".jsonl");
        List<String> args = new ArrayList<>(List.of("audit", "export", "--data-dir", data().toString(), "-o", file.toString(), "--force"));
        args.addAll(List.of(extra));
        String[] result = run(args.toArray(String[]::new));
        assertEquals("0", result[0], result[2]);
        return file;
    }

    @Test
    void anExportVerifiesOfflineAndNamesWhatWasDoneToIt() throws Exception {
        try (EmbeddedRuntime runtime = open()) {
            populate(runtime);
        }
        Path file = export();
        List<String> lines = Files.readAllLines(file);
        // header, 3 checkpoints (the shutdown signed the last event), 10 events — every line canonical
        assertEquals(1 + 3 + 10, lines.size(), String.join("\n", lines));
        for (String line : lines) {
            assertEquals(line, AuditChain.canonical(Json.readObject(line)));
        }
        Map<String, Object> header = Json.readObject(lines.get(0));
        String publicKey = (String) header.get("public_key");
        String[] key = run("audit", "key", "--data-dir", data().toString());
        assertTrue(key[1].contains(publicKey) && key[1].contains("BEGIN PUBLIC KEY"), key[1]);

        String[] ok = run("audit", "verify", "--file", file.toString(), "--public-key", publicKey);
        assertEquals("0", ok[0], ok[1] + ok[2]);
        assertTrue(ok[1].contains("verified seq 1–10 (10 events)") && ok[1].contains("signed to seq 10"), ok[1]);
        assertFalse(ok[1].contains("note:"), "a pinned key leaves nothing to note: " + ok[1]);
        String[] unpinned = run("audit", "verify", "--file", file.toString());
        assertEquals("0", unpinned[0]);
        assertTrue(unpinned[1].contains("--public-key"), "says the key came from the file: " + unpinned[1]);

        // another key than the one trusted
        String stranger = AuditSignatures.encodePublic(AuditSignatures.generate().getPublic());
        assertProblem(run("audit", "verify", "--file", file.toString(), "--public-key", stranger), "bad signature at seq 4");
        // an event changed in the file
        assertProblem(verifyEdited(file, lines, 7, l -> l.replace("ünïcode", "unicode")), "content changed at seq 4");
        // the newest line cut off: checkpoint 3 signed seq 10
        assertProblem(verifyEdited(file, lines, -1, l -> null), "truncated at seq 10");
        // two events swapped
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(6, lines.get(7));
        swapped.set(7, lines.get(6));
        assertProblem(verify(swapped), "gap at seq 3");
        // a checkpoint's signature altered
        assertProblem(verifyEdited(file, lines, 2, l -> l.replace("\"seq\":8", "\"seq\":7")), "bad signature at seq 7");
        // not an export at all
        assertProblem(verify(List.of("{\"hello\":1}")), "unreadable");
        assertProblem(verify(List.of()), "unreadable");
        assertProblem(verify(List.of(lines.get(0), "not json")), "line 2");
    }

    private String[] verifyEdited(Path file, List<String> lines, int index, UnaryOperator<String> edit) throws Exception {
        List<String> edited = new ArrayList<>(lines);
        int at = index < 0 ? edited.size() - 1 : index;
        String replaced = edit.apply(edited.get(at));
        if (replaced == null) {
            edited.remove(at);
        } else {
            assertFalse(replaced.equals(edited.get(at)), "the edit changes the line");
            edited.set(at, replaced);
        }
        return verify(edited);
    }

    private String[] verify(List<String> lines) throws Exception {
        Path edited = dir.resolve("edited.jsonl");
        Files.write(edited, lines);
        return run("audit", "verify", "--file", edited.toString());
    }

    private static void assertProblem(String[] result, String expected) {
        assertEquals("1", result[0], result[1] + result[2]);
        assertTrue(result[1].contains("NOT VERIFIED") && result[1].contains(expected), result[1]);
    }

    @Test
    void anExportOfSomeTypesChecksEachHashAndSaysTheLinksAreNotChecked() throws Exception {
        try (EmbeddedRuntime runtime = open()) {
            populate(runtime);
        }
        Path file = export("--type", "command.executed,runner.created", "--from", "2");
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.stream().skip(1).filter(l -> l.contains("\"event_type\"")).allMatch(
                l -> l.contains("command.executed") || l.contains("runner.created")), String.join("\n", lines));
        String[] ok = run("audit", "verify", "--file", file.toString());
        assertEquals("0", ok[0], ok[1]);
        assertTrue(ok[1].contains("not the links between events"), ok[1]);
    }

    @Test
    void exportRefusesBadInputWithoutTouchingAnything() throws Exception {
        try (EmbeddedRuntime runtime = open()) {
            populate(runtime);
        }
        Path existing = dir.resolve("keep.jsonl");
        Files.writeString(existing, "precious");
        String[] refused = run("audit", "export", "--data-dir", data().toString(), "-o", existing.toString());
        assertEquals("1", refused[0]);
        assertTrue(refused[2].contains("--force"), refused[2]);
        assertEquals("precious", Files.readString(existing));
        String[] unknown = run("audit", "export", "--data-dir", data().toString(), "-o", dir.resolve("x").toString(),
                "--type", "runner.exploded");
        assertTrue(unknown[0].equals("1") && unknown[2].contains("unknown event type runner.exploded"), unknown[2]);
        String[] range = run("audit", "verify", "--data-dir", data().toString(), "--from", "5", "--to", "2");
        assertTrue(range[0].equals("1") && range[2].contains("--from"), range[2]);
        String[] noFile = run("audit", "verify", "--file", dir.resolve("missing.jsonl").toString());
        assertTrue(noFile[0].equals("1") && noFile[2].contains("no export file"), noFile[2]);
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no partial file left");
        }
    }

    @Test
    void serveVerifiesAndExportsForAnAuditorAndRefusesAViewer() throws Exception {
        try (EmbeddedRuntime runtime = open()) {
            populate(runtime);
            try (GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start()) {
                Path adminKey = dir.resolve("auditor.key");
                Files.writeString(adminKey, runtime.apiKeys().create("auditor-bot", Role.AUDITOR));
                Path viewerKey = dir.resolve("viewer.key");
                Files.writeString(viewerKey, runtime.apiKeys().create("viewer-bot", Role.VIEWER));

                String[] verified = run("audit", "verify", "--gateway", server.baseUrl(), "--api-key-file", adminKey.toString());
                assertEquals("0", verified[0], verified[1] + verified[2]);
                assertTrue(verified[1].contains("signed to seq 8"), verified[1]);
                Path file = dir.resolve("remote.jsonl");
                String[] exported = run("audit", "export", "--gateway", server.baseUrl(), "--api-key-file", adminKey.toString(),
                        "-o", file.toString());
                assertEquals("0", exported[0], exported[2]);
                assertEquals("0", run("audit", "verify", "--file", file.toString())[0]);
                String[] key = run("audit", "key", "--gateway", server.baseUrl(), "--api-key-file", viewerKey.toString());
                assertEquals("0", key[0], key[2]);

                String[] denied = run("audit", "verify", "--gateway", server.baseUrl(), "--api-key-file", viewerKey.toString());
                assertEquals("1", denied[0]);
                assertTrue(denied[2].contains("verify the audit trail"), denied[2]);

                HttpClient http = HttpClient.newHttpClient();
                String admin = Files.readString(adminKey);
                HttpResponse<String> checkpoints = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/gateway/admin/audit/checkpoints")).header("X-CM-API-Key", admin).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, checkpoints.statusCode(), checkpoints.body());
                assertEquals(2, ((List<?>) Json.readObject(checkpoints.body()).get("checkpoints")).size());
                HttpResponse<String> verify = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/gateway/admin/audit/verify?from=2&to=6")).header("X-CM-API-Key", admin).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, verify.statusCode(), verify.body());
                Map<String, Object> body = Json.readObject(verify.body());
                assertEquals(true, body.get("verified"));
                assertEquals(4, ((Number) body.get("signed_to_seq")).intValue());
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/gateway/admin/audit/verify?from=zero")).header("X-CM-API-Key", admin).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, bad.statusCode(), bad.body());
                HttpResponse<String> viewer = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/gateway/admin/audit/checkpoints")).header("X-CM-API-Key", Files.readString(viewerKey)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, viewer.statusCode(), viewer.body());
                HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                        + "/gateway/admin/audit/verify")).header("X-CM-API-Key", admin)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(405, post.statusCode(), post.body());
            }
        }
    }
}
