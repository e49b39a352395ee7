package dev.runnerdesk.testutil;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderKeys;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.SecretStore;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;
import dev.runnerdesk.provider.SandboxSpec;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import javax.imageio.ImageIO;

/**
 * A stand-in for the Claude computer-use provider in tests: each exec "acts" on a drawn desktop — it writes a
 * PNG per action where the runtime keeps screenshots and records a {@code computer.action} event for it, as
 * the real provider does. argv after the program name lists the actions ({@code screenshot}, {@code left_click}
 * or {@code left_click:X,Y}, {@code type}, {@code key}, {@code missing} = an action whose screenshot file is never
 * written); none means
 * screenshot, left_click, type. It is available when the Anthropic key is in {@code secrets} (or always, without one).
 */
public final class ScriptedComputerUseProvider implements SandboxProvider {
    public static final int WIDTH = 1024;
    public static final int HEIGHT = 640;
    /** Where left_click points: the search field of the drawn page. */
    public static final List<Integer> CLICK = List.of(412, 168);
    public static final String TYPED = "quarterly report";

    private final Optional<SecretStore> secrets;
    private final Map<String, AtomicInteger> steps = new ConcurrentHashMap<>();
    private volatile BiFunction<String, String, Path> files;
    private volatile Events events;

    public ScriptedComputerUseProvider(Optional<SecretStore> secrets) {
        this.secrets = secrets;
    }

    /** Where screenshots go: the runtime's {@code screenshotFile(runnerId, name)}; set once the runtime exists. */
    public void writeTo(BiFunction<String, String, Path> screenshotFile) {
        this.files = screenshotFile;
    }

    @Override
    public ProviderType type() {
        return ProviderType.CLAUDE_COMPUTER_USE;
    }

    @Override
    public void attach(Events events) {
        this.events = events;
    }

    @Override
    public ProviderInfo probe() {
        if (secrets.isPresent() && ProviderKeys.ANTHROPIC.find(secrets.get(), Map.of()).isEmpty()) {
            return ProviderInfo.unavailable(type(), ProviderKeys.ANTHROPIC.missingReason());
        }
        return ProviderInfo.available(type(), false);
    }

    @Override
    public String create(SandboxSpec spec) {
        return "desktop-" + spec.runnerId();
    }

    @Override
    public ExecOutcome exec(SandboxCall call, ExecRequest request, ProfilePolicy policy, OutputListener output) {
        List<String> actions = new ArrayList<>(request.argv().subList(1, request.argv().size()));
        if (actions.isEmpty()) {
            actions.addAll(List.of("screenshot", "left_click", "type"));
        }
        AtomicInteger counter = steps.computeIfAbsent(call.sessionId() == null ? call.runnerId() : call.sessionId(),
                k -> new AtomicInteger());
        StringBuilder out = new StringBuilder();
        for (String token : actions) {
            // left_click:300,240 clicks there instead of on the search field
            String action = token.contains(":") ? token.substring(0, token.indexOf(':')) : token;
            List<Integer> at = token.contains(":") ? Arrays.stream(token.substring(token.indexOf(':') + 1).split(","))
                    .map(Integer::valueOf).toList() : CLICK;
            int step = counter.incrementAndGet();
            String name = (call.sessionId() == null ? "nosession" : call.sessionId()) + "-"
                    + String.format(Locale.ROOT, "%04d", step) + ".png";
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("command_id", call.commandId());
            data.put("step", step);
            data.put("action", action.equals("missing") ? "screenshot" : action);
            if (action.equals("left_click")) {
                data.put("coordinate", at);
            }
            if (action.equals("type")) {
                data.put("text", TYPED);
            }
            if (action.equals("key")) {
                data.put("text", "Return");
            }
            data.put("screenshot", name);
            if (!action.equals("missing")) {
                write(files.apply(call.runnerId(), name), step, action);
            }
            events.record(call.runnerId(), call.sessionId(), EventTypes.COMPUTER_ACTION, data);
            out.append("step ").append(step).append(' ').append(action).append('\n');
        }
        output.onOutput(OutputListener.Stream.STDOUT, out.toString());
        return new ExecOutcome(0, out.toString(), "", false, false);
    }

    @Override
    public void destroy(String sandboxRef) {
        // nothing was allocated
    }

    /** A desktop with a browser on a search page, drawn as the action left it; step number in the corner. */
    static void write(Path file, int step, String action) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(0x2b, 0x50, 0x7a));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(new Color(0x1e, 0x1e, 0x24));
            g.fillRect(0, 0, WIDTH, 28);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("Activities      Firefox", 12, 19);
            g.drawString(String.format(Locale.ROOT, "step %d", step), WIDTH - 70, 19);
            // the browser window
            g.setColor(new Color(0xf4, 0xf5, 0xf7));
            g.fillRoundRect(60, 56, WIDTH - 120, HEIGHT - 96, 10, 10);
            g.setColor(new Color(0xdd, 0xe1, 0xe6));
            g.fillRect(60, 56, WIDTH - 120, 44);
            g.setColor(Color.WHITE);
            g.fillRoundRect(150, 66, WIDTH - 330, 24, 12, 12);
            g.setColor(new Color(0x55, 0x5b, 0x66));
            g.drawString("https://intranet.example.com/search", 166, 83);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 26));
            g.setColor(new Color(0x22, 0x28, 0x33));
            g.drawString("Document search", 250, 138);
            // the search field where left_click points
            boolean focused = step >= 2;
            g.setColor(Color.WHITE);
            g.fillRoundRect(250, 152, 420, 34, 8, 8);
            g.setStroke(new BasicStroke(focused ? 2.5f : 1.2f));
            g.setColor(focused ? new Color(0x2f, 0x6f, 0xeb) : new Color(0xb4, 0xba, 0xc4));
            g.drawRoundRect(250, 152, 420, 34, 8, 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            g.setColor(step >= 3 ? new Color(0x22, 0x28, 0x33) : new Color(0x9a, 0xa0, 0xaa));
            g.drawString(step >= 3 ? TYPED : "Search documents…", 264, 175);
            g.setColor(new Color(0x2f, 0x6f, 0xeb));
            g.fillRoundRect(684, 152, 90, 34, 8, 8);
            g.setColor(Color.WHITE);
            g.drawString("Search", 704, 175);
            // results appear once something was typed
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            for (int i = 0; i < (step >= 3 ? 4 : 0); i++) {
                int y = 230 + i * 64;
                g.setColor(new Color(0x1a, 0x55, 0xc4));
                g.drawString("Quarterly report Q" + (4 - i) + " — finance/reports/q" + (4 - i) + ".pdf", 250, y);
                g.setColor(new Color(0x6b, 0x72, 0x80));
                g.drawString("Revenue, runtime minutes per provider, audit summary…", 250, y + 22);
            }
            g.setColor(new Color(0x6b, 0x72, 0x80));
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
            g.drawString("last action: " + action, 76, HEIGHT - 52);
        } finally {
            g.dispose();
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
