package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.e2b.E2bConfig;
import dev.runnerdesk.provider.e2b.E2bProvider;
import okhttp3.OkHttpClient;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * {@code claude_computer_use}: a runner is a desktop sandbox, and each exec is a task for Claude (argv
 * joined by spaces) that its computer-use loop performs on that desktop. Every action becomes a
 * {@code computer.action} event with the screenshot taken after it; stdout is Claude's final answer.
 * One task runs on a desktop at a time; destroying the sandbox cancels it.
 */
public final class ClaudeComputerUseProvider implements SandboxProvider {
    private final Path dataDir;
    private final Supplier<ComputerUseSettings> settings;
    private final DesktopSandboxes sandboxes;
    private final Supplier<Optional<String>> anthropicKey;
    private final OkHttpClient http;
    /** The task running on each sandbox, so destroying it cancels the task and a second one is refused. */
    private final Map<String, Cancellation> running = new ConcurrentHashMap<>();
    private volatile Events events = (runnerId, sessionId, type, data) -> { };

    /**
     * @param dataDir      the runtime's data directory, under which screenshots are kept
     * @param settings     read on use, so a bad environment value makes the provider unavailable with the
     *                     reason instead of breaking start-up
     * @param anthropicKey the Anthropic API key, looked up on each use (it may be added while the app runs)
     * @param http         the program's shared HTTP client
     */
    public ClaudeComputerUseProvider(Path dataDir, Supplier<ComputerUseSettings> settings, DesktopSandboxes sandboxes,
                                     Supplier<Optional<String>> anthropicKey, OkHttpClient http) {
        this.dataDir = dataDir;
        this.settings = settings;
        this.sandboxes = sandboxes;
        this.anthropicKey = anthropicKey;
        this.http = http;
    }

    /**
     * The provider as the app runs it: desktops in E2B sandboxes, settings from {@code environment}
     * ({@link ComputerUseSettings#fromEnvironment}), keys as the e2b provider and Settings keep them.
     */
    public static ClaudeComputerUseProvider onE2b(Path dataDir, Supplier<E2bConfig> e2b, Supplier<Optional<String>> e2bKey,
                                                  Supplier<Optional<String>> anthropicKey, Map<String, String> environment) {
        OkHttpClient http = E2bProvider.httpClient();
        return new ClaudeComputerUseProvider(dataDir, () -> ComputerUseSettings.fromEnvironment(environment),
                new E2bDesktops(e2b, e2bKey, http, Display.XGA), anthropicKey, http);
    }

    @Override
    public ProviderType type() {
        return ProviderType.CLAUDE_COMPUTER_USE;
    }

    @Override
    public void attach(Events providerEvents) {
        this.events = providerEvents;
    }

    /** The argv of an exec is Claude's task, so the profile's command list does not apply. */
    @Override
    public boolean takesTasks() {
        return true;
    }

    @Override
    public ProviderInfo probe() {
        try {
            settings.get();
        } catch (RunnerException e) {
            return ProviderInfo.unavailable(type(), "the computer-use settings are wrong: " + e.getMessage());
        }
        // every missing piece is named at once: a person adding one key should not then learn of the other
        Optional<String> desktop = sandboxes.unavailableReason();
        boolean noAnthropicKey = anthropicKey.get().isEmpty();
        Optional<String> reason;
        if (desktop.isPresent() && noAnthropicKey) {
            reason = Optional.of(desktop.get().equals(ProviderKeys.E2B.missingReason()) ? bothKeysMissing()
                    : desktop.get() + "; and " + ProviderKeys.ANTHROPIC.missingReason());
        } else {
            reason = desktop.or(() -> noAnthropicKey ? Optional.of(ProviderKeys.ANTHROPIC.missingReason()) : Optional.empty());
        }
        return reason.map(r -> ProviderInfo.unavailable(type(), r)).orElseGet(() -> ProviderInfo.available(type(), false));
    }

    public static String bothKeysMissing() {
        return "no " + ProviderKeys.E2B.vendor() + " API key and no " + ProviderKeys.ANTHROPIC.vendor() + " API key: add them in"
                + " Settings → Provider keys, or set " + ProviderKeys.E2B.environmentVariable() + " and "
                + ProviderKeys.ANTHROPIC.environmentVariable();
    }

    private void requireAvailable() {
        ProviderInfo info = probe();
        if (!info.available()) {
            throw new RunnerException.Unavailable(info.unavailableReason().orElse("the computer-use provider is unavailable"));
        }
    }

    @Override
    public String create(SandboxSpec spec) {
        requireAvailable();
        return sandboxes.create(spec);
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        String task = String.join(" ", request.argv()).strip();
        if (task.isEmpty()) {
            throw new RunnerException.InvalidRequest("argv", "the task is empty: say what Claude should do on the desktop");
        }
        requireAvailable();
        Desktop desktop = sandboxes.desktop(call.sandboxRef());
        Cancellation cancellation = new Cancellation();
        if (running.putIfAbsent(call.sandboxRef(), cancellation) != null) {
            throw new RunnerException.Conflict("a computer-use task is already running on this runner; wait for it to end");
        }
        try {
            Instant deadline = Instant.now().plusSeconds(request.timeoutSeconds());
            ComputerUseSettings current = settings.get();
            AnthropicClient anthropic = new AnthropicClient(current.anthropicBaseUrl(), anthropicKey, http, current.maxAttempts());
            return new ComputerUseLoop(anthropic, current, desktop, new ActionRecorder(dataDir, events, call), output,
                    cancellation).run(task, deadline);
        } finally {
            running.remove(call.sandboxRef(), cancellation);
        }
    }

    @Override
    public void extend(String sandboxRef, int seconds) {
        sandboxes.extend(sandboxRef, seconds);
    }

    @Override
    public Map<String, String> missing(Collection<String> sandboxRefs) {
        return sandboxes.missing(sandboxRefs);
    }

    @Override
    public void destroy(String sandboxRef) {
        Cancellation task = running.get(sandboxRef);
        if (task != null) {
            task.cancel();
        }
        sandboxes.destroy(sandboxRef);
    }

    @Override
    public void close() {
        running.values().forEach(Cancellation::cancel);
        sandboxes.close();
    }
}
