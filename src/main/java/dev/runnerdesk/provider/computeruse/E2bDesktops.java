package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.provider.SandboxSpec;
import dev.runnerdesk.provider.e2b.E2bConfig;
import dev.runnerdesk.provider.e2b.E2bProvider;
import dev.runnerdesk.provider.e2b.Envd;
import okhttp3.OkHttpClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Desktops in E2B {@code desktop} sandboxes (Ubuntu, XFCE, xdotool, scrot), made like the e2b provider's
 * sandboxes with {@code DISPLAY} set for every process, then booted as E2B's desktop SDK does: Xvfb in the
 * background, {@code xdpyinfo} polled until the display answers, then the XFCE session.
 */
public final class E2bDesktops implements DesktopSandboxes {
    public static final String TEMPLATE = "desktop";
    static final Duration DISPLAY_POLL = Duration.ofMillis(500);
    static final Duration DISPLAY_WAIT = Duration.ofSeconds(10);
    /** A screenshot comes back as base64 on stdout: room for a busy 1024×768 screen and then some. */
    static final int OUTPUT_CAP_BYTES = 16 * 1024 * 1024;

    private final E2bProvider sandboxes;
    private final Display display;

    public E2bDesktops(Supplier<E2bConfig> config, Supplier<Optional<String>> apiKey, OkHttpClient http, Display display) {
        this.sandboxes = new E2bProvider(config, apiKey, http, TEMPLATE, Map.of("DISPLAY", display.name()));
        this.display = display;
    }

    @Override
    public Optional<String> unavailableReason() {
        return sandboxes.probe().unavailableReason();
    }

    @Override
    public String create(SandboxSpec spec) {
        String ref = sandboxes.create(spec);
        try {
            boot(sandboxes.envd(ref));
        } catch (RuntimeException e) {
            try {
                sandboxes.destroy(ref);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return ref;
    }

    private void boot(Envd envd) {
        envd.startBackground("Xvfb " + display.name() + " -ac -screen 0 " + display.width() + "x" + display.height()
                + "x24 -retro -dpi 96 -nolisten tcp -nolisten unix");
        Instant giveUp = Instant.now().plus(DISPLAY_WAIT);
        while (envd.run("xdpyinfo -display " + display.name() + " >/dev/null 2>&1", DISPLAY_WAIT, OutputListener.NONE, 4096)
                .exitCode() != 0) {
            if (Instant.now().isAfter(giveUp)) {
                throw new RunnerException.Unavailable("the desktop's display (Xvfb) did not start within "
                        + DISPLAY_WAIT.toSeconds() + " s in E2B sandbox " + envd.sandboxId());
            }
            try {
                Thread.sleep(DISPLAY_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunnerException.Unavailable("interrupted while the desktop started");
            }
        }
        envd.startBackground("startxfce4");
    }

    @Override
    public Desktop desktop(String ref) {
        Envd envd = sandboxes.envd(ref);
        return (command, timeout) -> {
            Envd.CommandResult r = envd.run(command, timeout, OutputListener.NONE, OUTPUT_CAP_BYTES);
            return new Desktop.CommandResult(r.exitCode(), r.stdout(), r.stderr(), r.timedOut());
        };
    }

    @Override
    public void extend(String ref, int seconds) {
        sandboxes.extend(ref, seconds);
    }

    @Override
    public Map<String, String> missing(Collection<String> refs) {
        return sandboxes.missing(refs);
    }

    @Override
    public void destroy(String ref) {
        sandboxes.destroy(ref);
    }
}
