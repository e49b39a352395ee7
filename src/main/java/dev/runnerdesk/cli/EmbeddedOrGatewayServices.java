package dev.runnerdesk.cli;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerServiceFactory;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** The composition root's {@link RunnerServiceFactory}: a profile opens the shared embedded runtime, or a gateway client. */
final class EmbeddedOrGatewayServices implements RunnerServiceFactory {
    private final EmbeddedRuntime runtime;

    EmbeddedOrGatewayServices(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public RunnerService open(ConnectionProfile profile, Optional<String> apiKey) {
        return open(profile, apiKey, () -> GatewayConnection.DEFAULT_DEADLINE);
    }

    @Override
    public RunnerService open(ConnectionProfile profile, Optional<String> apiKey, Supplier<Duration> deadline) {
        if (profile.kind() == ConnectionProfile.Kind.EMBEDDED) {
            return runtime.serviceFor(Principal.localUser());
        }
        String url = profile.baseUrl().orElseThrow(() -> new RunnerException.InvalidRequest("url", "the profile has no URL"));
        return new GatewayRunnerService(GatewayConnection.of(url, apiKey.orElse(null), profile.allowInsecure())
                .withDeadline(deadline));
    }
}
