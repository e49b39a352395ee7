package dev.runnerdesk.provider.local;

import com.sun.net.httpserver.HttpServer;
import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A web_automation runner reaches the world only through its egress allowlist; every refusal is audited. */
class EgressTest {
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private RunnerService service;
    private HttpServer allowed;
    private HttpServer other;

    private static HttpServer site(String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    @BeforeEach
    void open() throws IOException {
        runtime = EmbeddedRuntimes.open(dataDir);
        service = runtime.serviceFor(Principal.localUser());
        Sandboxes.require(service);
        allowed = site("hello from the allowed site");
        other = site("you should not see this");
        Policies current = service.policies();
        ProfilePolicy web = current.profile(ToolProfile.WEB_AUTOMATION);
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        profiles.put(ToolProfile.WEB_AUTOMATION, new ProfilePolicy(ToolProfile.WEB_AUTOMATION, web.allowedCommands(),
                web.networkMode(), List.of("127.0.0.1:" + allowed.getAddress().getPort(), "*.example.com"),
                web.maxTtlSeconds(), web.maxExecTimeoutSeconds(), web.outputCapBytes(), web.recordInput()));
        service.updatePolicies(new Policies(profiles));
    }

    @AfterEach
    void close() {
        allowed.stop(0);
        other.stop(0);
        runtime.close();
    }

    @Test
    void anAllowedHostIsReachedAndAnotherIsRefusedAndAudited() {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.WEB_AUTOMATION, 600));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        int allowedPort = allowed.getAddress().getPort();
        int otherPort = other.getAddress().getPort();

        ExecResult ok = service.exec(r.runnerId(), s.sessionId(),
                new ExecRequest(List.of("curl", "-sS", "http://127.0.0.1:" + allowedPort + "/"), 30));
        assertEquals("hello from the allowed site", ok.stdout(), ok.stderr());

        ExecResult tunnel = service.exec(r.runnerId(), s.sessionId(),
                new ExecRequest(List.of("curl", "-sS", "--proxytunnel", "http://127.0.0.1:" + allowedPort + "/"), 30));
        assertEquals("hello from the allowed site", tunnel.stdout(), "CONNECT works too: " + tunnel.stderr());

        ExecResult refused = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("curl", "-sS", "-o", "/dev/null",
                "-w", "%{http_code}", "http://127.0.0.1:" + otherPort + "/"), 30));
        assertEquals("403", refused.stdout(), refused.stderr());

        ExecResult noProxy = service.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("curl", "-sS", "--noproxy", "*",
                "--max-time", "5", "http://127.0.0.1:" + allowedPort + "/"), 30));
        assertTrue(noProxy.exitCode() != 0, "around the proxy there is no network at all: " + noProxy.stdout());

        List<AuditEvent> blocked = service.events(new EventQuery(Optional.of(r.runnerId()), 10, Optional.empty(),
                Set.of(EventTypes.EGRESS_BLOCKED), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty())).events();
        assertEquals(1, blocked.size());
        assertEquals("127.0.0.1", blocked.get(0).data().get("host"));
        assertEquals(otherPort, ((Number) blocked.get(0).data().get("port")).intValue());
    }

    @Test
    void aTerminalOfAWebAutomationRunnerStartsBehindTheProxy() throws Exception {
        Runner r = service.create(new CreateRunnerRequest(ProviderType.LOCAL, ToolProfile.WEB_AUTOMATION, 600));
        Session s = service.startSession(r.runnerId(), Optional.empty());
        TerminalScreen screen = new TerminalScreen();
        try (var terminal = service.openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(100, 30), screen)) {
            terminal.write(("curl -sS http://127.0.0.1:" + allowed.getAddress().getPort() + "/\n").getBytes(StandardCharsets.UTF_8));
            screen.await("hello from the allowed site");
        }
    }
}
