package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.provider.SandboxCall;
import dev.runnerdesk.provider.SandboxProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail of a task: each action becomes a {@code computer.action} event, and the screenshot taken
 * after it a PNG in {@code <dataDir>/screenshots/<runnerId>/<commandId>-<step>.png} (where the runtime's
 * {@code screenshotFile} looks), written before the event names it.
 */
final class ActionRecorder {
    private final Path directory;
    private final SandboxProvider.Events events;
    private final SandboxCall call;
    private final String prefix;

    ActionRecorder(Path dataDir, SandboxProvider.Events events, SandboxCall call) {
        this.directory = dataDir.resolve("screenshots").resolve(call.runnerId());
        this.events = events;
        this.call = call;
        this.prefix = Optional.ofNullable(call.commandId()).filter(id -> id.matches("[A-Za-z0-9_-]{1,80}")).orElse("task");
    }

    /** Records the action of {@code step}, with its screenshot if one was taken and its failure if it failed. */
    void record(int step, XdotoolAction action, Optional<byte[]> screenshot, Optional<String> error) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command_id", call.commandId());
        data.put("step", step);
        data.putAll(action.detail());
        error.ifPresent(e -> data.put("error", e));
        screenshot.ifPresent(png -> data.put("screenshot", write(step, png)));
        events.record(call.runnerId(), call.sessionId(), EventTypes.COMPUTER_ACTION, data);
    }

    private String write(int step, byte[] png) {
        String name = prefix + "-" + step + ".png";
        try {
            Files.createDirectories(directory);
            Path partial = directory.resolve(name + ".partial");
            Files.write(partial, png);
            Files.move(partial, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RunnerException.Unavailable("cannot store the screenshot " + name + ": " + e.getMessage(), e);
        }
        return name;
    }
}
