package dev.runnerdesk.embedded;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.Asciicast;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a terminal's recording keeps (PII redacted, capped), how it is stored, and who may read it — with real shells. */
@Timeout(180)
class TerminalRecordingTest {
    private static final String CARD = "4111 1111 1111 1111";
    private static final String IBAN = "DE89 3704 0044 0532 0130 00";
    private static final String EMAIL = "ada.lovelace@example.com";
    private static final String AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE";

    @TempDir
    Path temp;
    private EmbeddedRuntime runtime;
    private RunnerService admin;
    private final List<Terminal> terminals = new ArrayList<>();

    @BeforeEach
    void open() {
        runtime = EmbeddedRuntimes.open(temp.resolve("data"));
        admin = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(admin);
    }

    @AfterEach
    void close() {
        terminals.forEach(Terminal::close);
        runtime.close();
    }

    private record Shell(Runner runner, Session session, Terminal terminal, TerminalScreen screen) {
        /** Types {@code text} one key per write, as a person does. */
        void typeKeyByKey(String text) {
            for (char c : text.toCharArray()) {
                terminal.write(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private Shell shell() {
        Runner runner = admin.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.FULL_VM_TOOLS, 600));
        Session session = admin.startSession(runner.runnerId(), Optional.empty());
        TerminalScreen screen = new TerminalScreen();
        Terminal terminal = admin.openTerminal(runner.runnerId(), session.sessionId(), new TerminalSize(120, 40), screen);
        terminals.add(terminal);
        return new Shell(runner, session, terminal, screen);
    }

    private void changePolicies(UnaryOperator<ProfilePolicy> fullVmTools, UnaryOperator<PiiSettings> pii) {
        Policies before = admin.policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(before.profiles());
        profiles.put(ToolProfile.FULL_VM_TOOLS, fullVmTools.apply(before.profile(ToolProfile.FULL_VM_TOOLS)));
        admin.updatePolicies(new Policies(profiles, pii.apply(before.pii())));
    }

    private static ProfilePolicy recordingInput(ProfilePolicy p) {
        return new ProfilePolicy(p.profile(), p.allowedCommands(), p.networkMode(), p.egressAllowlist(), p.maxTtlSeconds(),
                p.maxExecTimeoutSeconds(), p.outputCapBytes(), true, p.limits(), p.recordingCapMib(), p.recordingReaders());
    }

    private AuditEvent stop(Shell shell) {
        admin.stopSession(shell.runner().runnerId(), shell.session().sessionId());
        return admin.events(EventQuery.ofRunner(shell.runner().runnerId(), 1)).events().get(0);
    }

    @SuppressWarnings("unchecked")
    private Path recordingOf(AuditEvent stopped) {
        assertEquals(EventTypes.SESSION_STOPPED, stopped.eventType());
        List<String> files = (List<String>) stopped.data().get("recordings");
        assertEquals(1, files.size(), stopped.data().toString());
        return runtime.dataDir().resolve(files.get(0));
    }

    private static String frames(Asciicast cast, String code) {
        return cast.frames().stream().filter(f -> f.code().equals(code)).map(Asciicast.Frame::data).collect(Collectors.joining());
    }

    private List<AuditEvent> events(String runnerId, String type) {
        return admin.events(EventQuery.ofRunner(runnerId, 1000)).events().stream().filter(e -> e.eventType().equals(type)).toList();
    }

    @Test
    void secretsTypedOneKeyAtATimeAndPrintedNeverReachTheRecordingWhichIsPrivate() throws Exception {
        changePolicies(TerminalRecordingTest::recordingInput, pii -> pii.with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK));
        Shell shell = shell();
        for (String secret : List.of(CARD, IBAN, EMAIL, AWS_KEY)) {
            shell.typeKeyByKey("echo '" + secret + "'\r");
        }
        shell.typeKeyByKey("echo done-$((6*7))\r");
        shell.screen().await("done-42");
        assertTrue(shell.screen().text().contains(CARD), "the live terminal shows what it printed; only the recording is redacted");
        assertTrue(shell.terminal().isAlive(), "a blocking detector redacts the recording; it never ends the session");

        Path file = recordingOf(stop(shell));
        String raw = Files.readString(file);
        Asciicast cast = Asciicast.parse(raw);
        // joined frames: a secret split between two events would show here
        String output = frames(cast, "o");
        String input = frames(cast, "i");
        assertTrue(output.contains("done-42") && input.contains("echo done-$((6*7))"), raw);
        for (String secret : List.of(CARD, CARD.replace(" ", ""), IBAN, IBAN.replace(" ", ""), EMAIL, AWS_KEY)) {
            assertFalse(raw.contains(secret) || output.contains(secret) || input.contains(secret), secret + " is in " + raw);
        }
        for (PiiDetector detector : List.of(PiiDetector.CREDIT_CARD, PiiDetector.IBAN, PiiDetector.EMAIL, PiiDetector.API_KEY)) {
            String marker = "[REDACTED:" + detector.wireName() + "]";
            assertTrue(output.contains(marker) && input.contains(marker), marker + " in both directions:\n" + raw);
        }

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        AuditEvent found = events(shell.runner().runnerId(), EventTypes.PII_DETECTED).get(0);
        assertEquals(runtime.dataDir().relativize(file).toString(), found.data().get("recording"));
        assertEquals("redact", found.data().get("action"));
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) found.data().get("detectors");
        // typed, echoed as typed (twice if typed before the shell's line editor started), printed
        assertTrue(((Number) counts.get("credit_card")).intValue() >= 3, counts.toString());
        assertFalse(found.data().toString().contains(AWS_KEY));
    }

    @Test
    void aRecordingStopsAtItsCapWithAVisibleMarkerAndAnEventWhileTheSessionGoesOn() throws Exception {
        changePolicies(p -> p.withRecording(1, p.recordingReaders()), pii -> pii);
        Shell shell = shell();
        shell.terminal().write("head -c 1500000 /dev/zero | tr '\\0' x; echo; echo after-$((6*7))\r".getBytes(StandardCharsets.UTF_8));
        shell.screen().await("after-42");
        String runnerId = shell.runner().runnerId();
        Await.until(() -> !events(runnerId, EventTypes.RECORDING_TRUNCATED).isEmpty(), Duration.ofSeconds(15),
                "recording.truncated while the session runs");
        AuditEvent truncated = events(runnerId, EventTypes.RECORDING_TRUNCATED).get(0);
        assertEquals(shell.session().sessionId(), truncated.sessionId().orElseThrow());
        assertEquals(1, ((Number) truncated.data().get("index")).intValue());
        assertEquals(1, ((Number) truncated.data().get("cap_mib")).intValue());
        assertTrue(shell.terminal().isAlive());

        AuditEvent stopped = stop(shell);
        Path file = recordingOf(stopped);
        assertEquals(List.of(runtime.dataDir().relativize(file).toString()), stopped.data().get("truncated_recordings"));
        assertEquals(truncated.data().get("recording"), runtime.dataDir().relativize(file).toString());
        assertEquals(1, events(runnerId, EventTypes.RECORDING_TRUNCATED).size(), "one event per recording");
        long size = Files.size(file);
        assertTrue(size <= 1024 * 1024 && size > 1000 * 1024, "the recording is " + size + " bytes; the cap is 1 MiB");
        List<Asciicast.Frame> frames = Asciicast.parse(admin.recording(runnerId, shell.session().sessionId(), 1)).frames();
        Asciicast.Frame last = frames.get(frames.size() - 1);
        assertEquals("o", last.code());
        assertEquals("\r\n[RunnerDesk: recording truncated at 1 MiB; the session goes on]\r\n", last.data());
        assertFalse(frames.stream().anyMatch(f -> f.data().contains("after-42")), "nothing is recorded after the marker");
    }

    @Test
    void recordingsAreServedOnlyToTheRolesThePolicyAllowsAlsoAfterTheRunnerIsGone() throws Exception {
        Shell shell = shell();
        shell.terminal().write("echo recorded-$((2*21))\r".getBytes(StandardCharsets.UTF_8));
        shell.screen().await("recorded-42");
        stop(shell);
        String runnerId = shell.runner().runnerId();
        String sessionId = shell.session().sessionId();
        RunnerService viewer = runtime.serviceFor(new Principal("viewer-1", Role.VIEWER));
        RunnerService operator = runtime.serviceFor(new Principal("operator-1", Role.OPERATOR));
        String viewerKey = runtime.apiKeys().create("viewer-2", Role.VIEWER);
        String operatorKey = runtime.apiKeys().create("operator-2", Role.OPERATOR);
        HttpClient http = HttpClient.newHttpClient();
        try (GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start()) {
            URI uri = URI.create(server.baseUrl() + "/gateway/admin/runners/" + runnerId + "/sessions/" + sessionId + "/recordings/1");
            for (boolean terminated : List.of(false, true)) {
                if (terminated) {
                    admin.terminate(runnerId);
                }
                RunnerException.Forbidden denied = assertThrows(RunnerException.Forbidden.class,
                        () -> viewer.recording(runnerId, sessionId, 1));
                assertTrue(denied.getMessage().contains("operator"), denied.getMessage());
                assertTrue(operator.recording(runnerId, sessionId, 1).contains("recorded-42"));

                HttpResponse<String> forViewer = get(http, uri, viewerKey);
                assertEquals(403, forViewer.statusCode(), forViewer.body());
                assertFalse(forViewer.body().contains("recorded-42"));
                HttpResponse<String> forOperator = get(http, uri, operatorKey);
                assertEquals(200, forOperator.statusCode(), forOperator.body());
                assertEquals("application/x-asciicast", forOperator.headers().firstValue("Content-Type").orElse(""));
                assertTrue(forOperator.body().contains("recorded-42"));
            }
            List<AuditEvent> denials = events(runnerId, EventTypes.AUTH_DENIED);
            assertEquals(4, denials.size(), "embedded and served, before and after terminate: " + denials);
            assertTrue(denials.stream().allMatch(e -> "read recordings".equals(e.data().get("action"))
                    && "operator".equals(e.data().get("required_role"))), denials.toString());

            changePolicies(p -> p.withRecording(p.recordingCapMib(), Role.VIEWER), pii -> pii);
            assertTrue(viewer.recording(runnerId, sessionId, 1).contains("recorded-42"), "the policy decides, not the code");
            assertEquals(200, get(http, uri, viewerKey).statusCode());
        }
    }

    @Test
    void anAuditorReadsEveryRecordingAlsoWhereThePolicyLetsOnlyAdmins() throws Exception {
        changePolicies(p -> p.withRecording(p.recordingCapMib(), Role.ADMIN), pii -> pii);
        Shell shell = shell();
        shell.terminal().write("echo audited-$((2*21))\r".getBytes(StandardCharsets.UTF_8));
        shell.screen().await("audited-42");
        stop(shell);
        String runnerId = shell.runner().runnerId();
        String sessionId = shell.session().sessionId();
        RunnerService auditor = runtime.serviceFor(new Principal("auditor-1", Role.AUDITOR));
        RunnerService operator = runtime.serviceFor(new Principal("operator-1", Role.OPERATOR));
        assertTrue(auditor.recording(runnerId, sessionId, 1).contains("audited-42"));
        assertThrows(RunnerException.Forbidden.class, () -> operator.recording(runnerId, sessionId, 1));

        String auditorKey = runtime.apiKeys().create("auditor-2", Role.AUDITOR);
        HttpClient http = HttpClient.newHttpClient();
        try (GatewayServer server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start()) {
            URI uri = URI.create(server.baseUrl() + "/gateway/admin/runners/" + runnerId + "/sessions/" + sessionId + "/recordings/1");
            HttpResponse<String> served = get(http, uri, auditorKey);
            assertEquals(200, served.statusCode(), served.body());
            assertTrue(served.body().contains("audited-42"));
        }
        List<AuditEvent> denials = events(runnerId, EventTypes.AUTH_DENIED);
        assertEquals(1, denials.size(), "only the operator's: " + denials);
        assertEquals("operator", denials.get(0).data().get("role"));
    }

    private static HttpResponse<String> get(HttpClient http, URI uri, String key) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).header("X-CM-API-Key", key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
