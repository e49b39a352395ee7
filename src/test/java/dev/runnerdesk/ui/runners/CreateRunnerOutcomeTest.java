package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.ui.GatewayFixture;
import dev.runnerdesk.ui.ImmediateTaskExecutor;
import dev.runnerdesk.ui.OnFxThread;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.connections.ActiveConnection;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.runnerdesk.ui.GatewayFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Create runner against a gateway whose answer to the create cannot be read (issue 17, finding 3), through the real
 * gateway client: the dialog says the runner may exist, the list is read again, and pressing Create again sends the same
 * request with the same Idempotency-Key — never a second, different create.
 */
@ExtendWith(OnFxThread.class)
class CreateRunnerOutcomeTest {
    private static final String RUNNER = "{\"runner_id\":\"runner_abc123def456\",\"state\":\"ready\",\"provider_type\":\"fake\","
            + "\"tool_profile\":\"locked\",\"ttl_seconds\":3600,\"created_at\":\"2026-01-01T00:00:00Z\"}";
    private final List<RecordedRequest> creates = new CopyOnWriteArrayList<>();
    private GatewayFixture gateway;
    private ActiveConnection connection;

    @BeforeEach
    void start() throws IOException {
        gateway = new GatewayFixture(request -> {
            String path = request.getUrl().encodedPath();
            if (request.getMethod().equals("POST") && path.startsWith("/gateway/admin/runners")) {
                creates.add(request);
                // the first create happens, but its answer is cut to garbage; the retry gets the real one
                return creates.size() == 1 ? json(201, "{\"runner_id\": \"runner_abc1") : json(201, RUNNER);
            }
            if (path.startsWith("/gateway/admin/runners")) {
                return json(200, "{\"runners\":[" + RUNNER + "],\"total\":1}");
            }
            return json(404, "{\"detail\":\"Not Found\"}");
        });
        connection = gateway.connection;
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void anUnreadableAnswerSaysTheRunnerMayExistRereadsTheListAndARetrySendsTheSameKey() {
        List<Runner> created = new ArrayList<>();
        int[] rereads = {0};
        CreateRunnerController dialog = new CreateRunnerController(connection, new ImmediateTaskExecutor(), new Notifier(),
                null, created::add, () -> rereads[0]++);
        CreateRunnerModel model = dialog.model();
        model.provider.set(new ProviderInfo(ProviderType.FAKE, true, Optional.empty(), false));

        dialog.view().createButton.fire();
        String error = model.error.get();
        assertTrue(error.contains("may have been created"), error);
        assertTrue(error.contains("same Idempotency-Key"), error);
        assertFalse(error.contains("Exception"), error);
        assertEquals(1, rereads[0], "the list is read again to show what is there");
        assertTrue(created.isEmpty());
        assertFalse(model.busy.get(), "Create can be pressed again");

        dialog.view().createButton.fire();
        assertEquals(1, created.size(), "the retry's answer is the runner");
        assertEquals(2, creates.size());
        String first = creates.get(0).getHeaders().get("Idempotency-Key");
        assertTrue(first != null && !first.isBlank());
        assertEquals(first, creates.get(1).getHeaders().get("Idempotency-Key"), "the same request, the same key");

        // another request (another TTL) is another create, with a key of its own
        model.ttl.set("7200");
        dialog.view().createButton.fire();
        assertEquals(3, creates.size());
        assertFalse(first.equals(creates.get(2).getHeaders().get("Idempotency-Key")));
    }
}
