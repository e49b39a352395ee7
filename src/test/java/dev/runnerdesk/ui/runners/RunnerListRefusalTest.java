package dev.runnerdesk.ui.runners;

import dev.runnerdesk.testutil.MemorySettings;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.OnFxThread;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.common.UiPreferences;
import dev.runnerdesk.ui.terminal.TerminalSessions;
import javafx.beans.property.SimpleBooleanProperty;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.runnerdesk.ui.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner list against a gateway that refuses the list (issue 17, finding 5), through the real gateway client: a 429
 * is waited out with a countdown and tried again by itself; a 403 says what the key may not do instead of "Loading".
 */
@ExtendWith(OnFxThread.class)
class RunnerListRefusalTest {
    private static final String RUNNER = "{\"runner_id\":\"runner_abc123def456\",\"state\":\"ready\",\"provider_type\":\"fake\","
            + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    private final AtomicInteger lists = new AtomicInteger();
    private volatile Function<Integer, MockResponse> listAnswer;
    private GatewayFixture gateway;
    private RunnerListController runners;

    @BeforeEach
    void start() throws IOException {
        gateway = new GatewayFixture(request -> {
            String path = request.getUrl().encodedPath();
            if (path.equals("/v1/admin/me")) {
                return json(200, "{\"name\":\"refusal-test\",\"role\":\"viewer\",\"beta_access\":true}");
            }
            if (path.equals("/gateway/admin/events/") || path.equals("/gateway/admin/events")) {
                return json(200, "{\"events\":[],\"total\":0}"); // followed by polling: no stream route here
            }
            if (path.equals("/gateway/admin/runners/") || path.equals("/gateway/admin/runners")) {
                return listAnswer.apply(lists.incrementAndGet());
            }
            return json(404, "{\"detail\":\"Not Found\"}");
        });
        Map<String, String> stored = new HashMap<>();
        UiPreferences prefs = UiPreferences.load(new MemorySettings(stored));
        runners = new RunnerListController(gateway.connection, gateway.tasks, new Notifier(), prefs, Clock.systemUTC(),
                () -> null, new TerminalSessions(gateway.tasks, new SimpleBooleanProperty(false)));
    }

    @AfterEach
    void stop() {
        runners.deactivate();
        gateway.close();
    }

    @Test
    void aRateLimitCountsDownAndIsTriedAgainByItself() {
        listAnswer = n -> n == 1
                ? new MockResponse.Builder().code(429).setHeader("Retry-After", "2").body("{}").build()
                : json(200, "{\"runners\":[" + RUNNER + "],\"total\":1}");
        runners.activate();
        RunnerListModel model = runners.model();
        assertTrue(model.loadProblem.get().matches("The gateway is limiting requests; trying again in \\d s"),
                model.loadProblem.get());
        OnFxThread.until(() -> model.loaded.get() && model.rows.size() == 1, Duration.ofSeconds(20),
                "the list, loaded by the retry");
        assertEquals("", model.loadProblem.get());
        assertEquals(2, lists.get(), "one retry, after the wait the gateway asked for");
    }

    @Test
    void aRefusalSaysWhatTheKeyMayNotDoInsteadOfLoadingForever() {
        listAnswer = n -> json(403, "{\"error\":{\"code\":\"forbidden\",\"message\":\"role viewer may not list runners\"}}");
        runners.activate();
        String problem = runners.model().loadProblem.get();
        assertTrue(problem.startsWith("This key may not list runners here: role viewer may not list runners"), problem);
        assertTrue(problem.endsWith("Its role is viewer; the Timeline shows what it may read."), problem);
        assertEquals(1, lists.get());
    }
}
