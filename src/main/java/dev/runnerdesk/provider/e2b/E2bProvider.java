package dev.runnerdesk.provider.e2b;

import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.MetricsSample;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalListener;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.WorkspaceFiles;
import okhttp3.OkHttpClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runners in E2B cloud sandboxes: created from a template (the runner's image, else {@code base}) with the
 * runner's TTL as their timeout, {@code secure} (envd wants an access token), and the tool profile's network
 * (locked = no internet, allowlist = E2B's egress allowlist). Commands, shells and workspace files go through envd;
 * metrics come from the control plane. The sandbox id is what the store keeps; the access token stays in memory and is
 * looked up again after a restart.
 */
public final class E2bProvider implements SandboxProvider {
    public static final String DEFAULT_TEMPLATE = "base";
    /** Metadata every sandbox of ours carries, so listing finds ours among a team's sandboxes. */
    static final Map<String, String> OURS = Map.of("created_by", "runnerdesk");

    private final Supplier<Optional<String>> apiKey;
    private final Supplier<E2bConfig> config;
    private final OkHttpClient http;
    private final String defaultTemplate;
    private final Map<String, String> envVars;
    private final Map<String, Envd> envds = new ConcurrentHashMap<>();
    private final E2bMetrics metrics = new E2bMetrics(Clock.systemUTC());

    /**
     * @param config where E2B is; read on use, so a bad environment value makes the provider unavailable
     *               with the reason instead of breaking start-up
     * @param apiKey the E2B key, read on every probe and call (Settings may change it)
     */
    public E2bProvider(Supplier<E2bConfig> config, Supplier<Optional<String>> apiKey, OkHttpClient http) {
        this(config, apiKey, http, DEFAULT_TEMPLATE, Map.of());
    }

    /**
     * Sandboxes made from {@code defaultTemplate} when the runner names no image, every process getting
     * {@code envVars} (the computer-use provider's {@code desktop} with {@code DISPLAY}).
     */
    public E2bProvider(Supplier<E2bConfig> config, Supplier<Optional<String>> apiKey, OkHttpClient http,
                       String defaultTemplate, Map<String, String> envVars) {
        this.config = config;
        this.apiKey = apiKey;
        this.http = http;
        this.defaultTemplate = defaultTemplate;
        this.envVars = Map.copyOf(envVars);
    }

    public E2bProvider(Supplier<E2bConfig> config, Supplier<Optional<String>> apiKey) {
        this(config, apiKey, httpClient());
    }

    /** Shared HTTP settings of the E2B providers: HTTP/2 where the server offers it, the SDK's 60 s request timeout. */
    public static OkHttpClient httpClient() {
        return new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60)).build();
    }

    @Override
    public ProviderType type() {
        return ProviderType.E2B;
    }

    @Override
    public ProviderInfo probe() {
        try {
            config.get();
        } catch (RunnerException e) {
            return ProviderInfo.unavailable(ProviderType.E2B, "the E2B settings are wrong: " + e.getMessage());
        }
        if (apiKey.get().isEmpty()) {
            return ProviderInfo.unavailable(ProviderType.E2B, ProviderKeys.E2B.missingReason());
        }
        return ProviderInfo.available(ProviderType.E2B, true);
    }

    E2bApi api() {
        return new E2bApi(config.get(), apiKey, http);
    }

    @Override
    public String create(SandboxSpec spec) {
        E2bApi api = api();
        Map<String, String> metadata = new LinkedHashMap<>(OURS);
        metadata.put("runner_id", spec.runnerId());
        E2bApi.SandboxInfo info = api.create(new E2bApi.NewSandbox(spec.imageRef().orElse(defaultTemplate), spec.ttlSeconds(),
                spec.policy().networkMode() != NetworkMode.NONE, allowOut(spec.policy()), metadata, envVars));
        envds.put(info.sandboxId(), envd(api, info));
        return info.sandboxId();
    }

    /** The profile's egress allowlist in E2B's terms (hosts, {@code *.domain}, IPs, CIDRs; ports cannot be said). */
    static List<String> allowOut(ProfilePolicy policy) {
        if (policy.networkMode() != NetworkMode.ALLOWLIST) {
            return List.of();
        }
        List<String> out = policy.egressAllowlist().stream()
                .map(e -> e.replaceFirst(":\\d+$", ""))
                .filter(e -> !e.isBlank())
                .distinct().toList();
        // an allowlist that names nothing E2B can express still means "nothing else"
        return out.isEmpty() ? List.of("127.0.0.1/32") : out;
    }

    private Envd envd(E2bApi api, E2bApi.SandboxInfo info) {
        return new Envd(info.sandboxId(), api.config().envd(info.sandboxId(), info.domain()), info.envdAccessToken(), http);
    }

    /** The sandbox's envd; after a restart its token is looked up again. */
    public Envd envd(String sandboxId) {
        return envds.computeIfAbsent(sandboxId, id -> {
            E2bApi api = api();
            return envd(api, api.sandbox(id));
        });
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        Envd.CommandResult r = envd(call.sandboxRef()).run(ShellQuote.join(request.argv()),
                Duration.ofSeconds(request.timeoutSeconds()), output, policy.outputCapBytes());
        return new ExecOutcome(r.exitCode(), r.stdout(), r.stderr(), r.timedOut(), r.truncated());
    }

    @Override
    public Terminal openTerminal(String sandboxRef, ProfilePolicy policy, TerminalSize size, TerminalListener listener) {
        return envd(sandboxRef).openPty(size, listener);
    }

    /** The sandbox user's home, {@code /home/user}, through envd's filesystem service (see {@link E2bWorkspaceFiles}). */
    @Override
    public WorkspaceFiles files(String sandboxRef) {
        try {
            return new E2bWorkspaceFiles(envd(sandboxRef).files());
        } catch (RunnerException.NotFound gone) { // not a missing file: the sandbox itself, looked up after a restart
            throw new RunnerException.Unavailable("E2B sandbox " + sandboxRef + " is gone (killed, or its timeout ran out): "
                    + gone.getMessage());
        }
    }

    /** E2B's newest metrics of the sandbox (see {@link E2bMetrics}); {@code policy}'s limits are not E2B's, so unused. */
    @Override
    public Optional<MetricsSample> sample(String sandboxRef, ProfilePolicy policy) {
        return metrics.sample(sandboxRef, this::api);
    }

    @Override
    public void extend(String sandboxRef, int seconds) {
        api().setTimeout(sandboxRef, seconds);
    }

    @Override
    public Map<String, String> missing(Collection<String> sandboxRefs) {
        if (apiKey.get().isEmpty()) {
            return Map.of(); // cannot tell without a key
        }
        Set<String> alive = new HashSet<>(api().list(OURS));
        Map<String, String> gone = new LinkedHashMap<>();
        for (String ref : sandboxRefs) {
            if (!alive.contains(ref)) {
                gone.put(ref, "the E2B sandbox " + ref + " no longer exists (killed, or its timeout ran out while"
                        + " RunnerDesk was not running)");
            }
        }
        return gone;
    }

    @Override
    public void destroy(String sandboxRef) {
        envds.remove(sandboxRef);
        metrics.forget(sandboxRef);
        if (apiKey.get().isPresent()) {
            api().kill(sandboxRef);
        }
    }
}
