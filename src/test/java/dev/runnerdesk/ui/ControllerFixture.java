package dev.runnerdesk.ui;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.store.MemorySecretStore;
import dev.runnerdesk.ui.common.Notifier;
import dev.runnerdesk.ui.connections.ActiveConnection;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What a controller test needs instead of the window: the real embedded runtime (fake provider) in a fresh data
 * directory, an {@link ImmediateTaskExecutor}, and a connection to "This computer" that is online when the
 * constructor returns. Build it on the FX thread ({@link OnFxThread}).
 */
public final class ControllerFixture implements AutoCloseable {
    public final EmbeddedRuntime runtime;
    /** The runtime as the local admin, for a test's own calls. */
    public final RunnerService service;
    public final ImmediateTaskExecutor tasks = new ImmediateTaskExecutor();
    public final Notifier notifier = new Notifier();
    public final ActiveConnection connection;

    /** The connection's calls are made as {@code principal}. */
    public ControllerFixture(Path dataDir, Clock clock, Principal principal) {
        runtime = new EmbeddedRuntime(dataDir.resolve("c" + System.nanoTime()), clock, List.of(new FakeProvider()));
        service = runtime.serviceFor(Principal.localUser());
        connection = new ActiveConnection((profile, key) -> runtime.serviceFor(principal),
                new MemorySecretStore("tests keep keys in memory"), tasks, clock);
        connection.connect(ConnectionProfile.thisComputer());
    }

    public ControllerFixture(Path dataDir, Clock clock) {
        this(dataDir, clock, Principal.localUser());
    }

    public Runner create() {
        return service.create(new CreateRunnerRequest(ProviderType.FAKE, ToolProfile.LOCKED, 3600));
    }

    @Override
    public void close() {
        connection.close();
        runtime.close();
    }
}
