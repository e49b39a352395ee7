package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.RunnerException;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the computer-use loop runs: which Anthropic endpoint and model, which tool version, and its limits.
 *
 * @param anthropicBaseUrl the Messages API's base ({@code ANTHROPIC_BASE_URL}); https, or http on loopback only
 * @param model            the model, e.g. {@code claude-sonnet-4-5-20250929}
 * @param dialect          the computer tool version the model takes (see {@link ToolDialect#forModel})
 * @param maxTokens        {@code max_tokens} of each request
 * @param maxSteps         how many actions one task may take before it is stopped
 * @param settleDelay      how long the screen gets to settle after an action before the screenshot
 * @param imagesKept       how many of the newest screenshots stay in the conversation (older ones are dropped
 *                         to bound the request size); 0 keeps all
 * @param actionTimeout    how long one action's command may run
 * @param maxAttempts      attempts per API request when Anthropic is overloaded or rate limits
 * @param display          the sandbox's display
 * @param systemPrompt     what the model is told about its environment
 */
public record ComputerUseSettings(URI anthropicBaseUrl, String model, ToolDialect dialect, int maxTokens, int maxSteps,
                                  Duration settleDelay, int imagesKept, Duration actionTimeout, int maxAttempts,
                                  Display display, String systemPrompt) {
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com");
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5-20250929";
    public static final String SYSTEM_PROMPT = """
            You are using an Ubuntu 22.04 desktop (XFCE) through the computer tool; the screen is %dx%d. \
            Firefox, Chrome and a terminal are installed; open them from the desktop or the applications menu. \
            Take a screenshot first to see the screen. Some applications take a moment to open: wait and take \
            another screenshot rather than clicking again. When the task is done, answer with a short summary \
            of the result and call no tool.""";

    public ComputerUseSettings {
        Objects.requireNonNull(anthropicBaseUrl, "anthropicBaseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(settleDelay, "settleDelay");
        Objects.requireNonNull(actionTimeout, "actionTimeout");
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        checkBaseUrl(anthropicBaseUrl);
        if (maxTokens < 1 || maxSteps < 1 || imagesKept < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("max_tokens, max steps and attempts must be at least 1, images kept at least 0");
        }
    }

    /** The defaults for {@code model}, its tool version from the table (the newest beta one for a model it does not know). */
    public static ComputerUseSettings forModel(String model) {
        return new ComputerUseSettings(DEFAULT_BASE_URL, model,
                ToolDialect.forModel(model).orElse(ToolDialect.COMPUTER_20251124), 4096, 50, Duration.ofMillis(1500),
                3, Duration.ofSeconds(30), 3, Display.XGA,
                SYSTEM_PROMPT.formatted(Display.XGA.width(), Display.XGA.height()));
    }

    /**
     * The settings the environment asks for: {@code ANTHROPIC_BASE_URL}, {@code RUNNERDESK_COMPUTER_USE_MODEL},
     * {@code RUNNERDESK_COMPUTER_USE_TOOL} (a tool type such as {@code computer_20251124}, for a model the table
     * does not know), {@code RUNNERDESK_COMPUTER_USE_MAX_STEPS}; the rest are defaults.
     */
    public static ComputerUseSettings fromEnvironment(Map<String, String> env) {
        ComputerUseSettings settings = forModel(Optional.ofNullable(env.get("RUNNERDESK_COMPUTER_USE_MODEL"))
                .map(String::trim).filter(s -> !s.isEmpty()).orElse(DEFAULT_MODEL));
        String base = env.get("ANTHROPIC_BASE_URL");
        if (base != null && !base.isBlank()) {
            settings = settings.withBaseUrl(URI.create(base.trim()));
        }
        String tool = env.get("RUNNERDESK_COMPUTER_USE_TOOL");
        if (tool != null && !tool.isBlank()) {
            settings = settings.withDialect(ToolDialect.ofToolType(tool.trim()).orElseThrow(() -> new RunnerException.InvalidRequest(
                    "RUNNERDESK_COMPUTER_USE_TOOL", "unknown computer tool \"" + tool.trim() + "\"; known: "
                    + ToolDialect.KNOWN.stream().map(ToolDialect::toolType).toList())));
        }
        String steps = env.get("RUNNERDESK_COMPUTER_USE_MAX_STEPS");
        if (steps != null && !steps.isBlank()) {
            try {
                settings = settings.withMaxSteps(Integer.parseInt(steps.trim()));
            } catch (NumberFormatException e) {
                throw new RunnerException.InvalidRequest("RUNNERDESK_COMPUTER_USE_MAX_STEPS", "not a number: " + steps);
            }
        }
        return settings;
    }

    public ComputerUseSettings withBaseUrl(URI baseUrl) {
        return new ComputerUseSettings(baseUrl, model, dialect, maxTokens, maxSteps, settleDelay, imagesKept, actionTimeout,
                maxAttempts, display, systemPrompt);
    }

    public ComputerUseSettings withDialect(ToolDialect toolDialect) {
        return new ComputerUseSettings(anthropicBaseUrl, model, toolDialect, maxTokens, maxSteps, settleDelay, imagesKept,
                actionTimeout, maxAttempts, display, systemPrompt);
    }

    public ComputerUseSettings withMaxSteps(int steps) {
        return new ComputerUseSettings(anthropicBaseUrl, model, dialect, maxTokens, steps, settleDelay, imagesKept,
                actionTimeout, maxAttempts, display, systemPrompt);
    }

    public ComputerUseSettings withSettleDelay(Duration delay) {
        return new ComputerUseSettings(anthropicBaseUrl, model, dialect, maxTokens, maxSteps, delay, imagesKept,
                actionTimeout, maxAttempts, display, systemPrompt);
    }

    public ComputerUseSettings withMaxAttempts(int attempts) {
        return new ComputerUseSettings(anthropicBaseUrl, model, dialect, maxTokens, maxSteps, settleDelay, imagesKept,
                actionTimeout, attempts, display, systemPrompt);
    }

    public ComputerUseSettings withImagesKept(int images) {
        return new ComputerUseSettings(anthropicBaseUrl, model, dialect, maxTokens, maxSteps, settleDelay, images,
                actionTimeout, maxAttempts, display, systemPrompt);
    }

    /** The key goes to this host: https only, except to this computer (a local proxy or a test stub). */
    private static void checkBaseUrl(URI url) {
        String scheme = Optional.ofNullable(url.getScheme()).orElse("");
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new RunnerException.InvalidRequest("ANTHROPIC_BASE_URL", "not an http(s) URL: " + url);
        }
        if (scheme.equals("http") && !loopback(url.getHost())) {
            throw new RunnerException.InvalidRequest("ANTHROPIC_BASE_URL", "refusing to send the Anthropic key over plain"
                    + " http to " + url.getHost() + "; use https (http is allowed to localhost only)");
        }
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false; // a name: no lookup, only "localhost" counts
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
