package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.core.OutputListener;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.provider.ExecOutcome;
import dev.runnerdesk.wire.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Claude's computer-use loop for one task: ask the model, perform every action it asks for on the desktop,
 * answer all of them in one user turn (a screenshot each), and again, until it answers without a tool
 * call (its text is the task's stdout), takes more than the allowed steps, runs out of time, or is
 * cancelled. stderr tells what was done, one line per action, as it happens.
 */
final class ComputerUseLoop {
    /** Exit code of a task stopped at its step limit. */
    static final int MAX_STEPS_EXIT = 2;
    /** Exit code of a task that ran out of time (as a timed-out command's). */
    static final int TIMED_OUT_EXIT = 124;
    /** Exit code of a task whose sandbox was destroyed under it. */
    static final int CANCELLED_EXIT = 137;

    private static final String NOT_EXECUTED = "Not executed: an earlier action of this turn failed.";
    private static final String IMAGE_REMOVED = "(an older screenshot, removed to keep the conversation short)";

    private final AnthropicClient anthropic;
    private final ComputerUseSettings settings;
    private final Desktop desktop;
    private final ActionRecorder recorder;
    private final OutputListener output;
    private final Cancellation cancellation;
    private final StringBuilder log = new StringBuilder();
    private int steps;
    /** What the model said last, the task's stdout should it be stopped. */
    private String lastText = "";

    ComputerUseLoop(AnthropicClient anthropic, ComputerUseSettings settings, Desktop desktop, ActionRecorder recorder,
                    OutputListener output, Cancellation cancellation) {
        this.anthropic = anthropic;
        this.settings = settings;
        this.desktop = desktop;
        this.recorder = recorder;
        this.output = output;
        this.cancellation = cancellation;
    }

    /** Runs {@code task} until the model is done or {@code deadline}. */
    ExecOutcome run(String task, Instant deadline) {
        try {
            return converse(task, deadline);
        } catch (Stopped stopped) {
            return stopped.outcome;
        } catch (RunnerException e) {
            // a request or command that failed because the task was cancelled or ran out of time ends it as such
            return stopped(deadline).orElseThrow(() -> e);
        }
    }

    private ExecOutcome converse(String task, Instant deadline) {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "user").put("content", task);
        while (true) {
            checkpoint(deadline);
            JsonNode content = anthropic.createMessage(request(messages), settings.dialect(), deadline, cancellation)
                    .path("content");
            messages.addObject().put("role", "assistant").set("content", content);
            String text = text(content);
            lastText = text.isEmpty() ? lastText : text;
            List<JsonNode> toolUses = new ArrayList<>();
            content.forEach(block -> {
                if ("tool_use".equals(block.path("type").asText())) {
                    toolUses.add(block);
                }
            });
            if (toolUses.isEmpty()) {
                return new ExecOutcome(0, text, log.toString(), false, false);
            }
            ArrayNode results = Json.MAPPER.createArrayNode();
            boolean failed = false;
            for (JsonNode toolUse : toolUses) {
                if (failed && settings.dialect().stopsTurnAfterFailure()) {
                    results.add(error(toolUse, NOT_EXECUTED));
                    continue;
                }
                if (steps >= settings.maxSteps()) {
                    progress("stopped: the task reached its limit of " + settings.maxSteps() + " actions");
                    return new ExecOutcome(MAX_STEPS_EXIT, "Stopped after " + settings.maxSteps()
                            + " actions without finishing the task." + (lastText.isEmpty() ? "" : "\n" + lastText),
                            log.toString(), false, false);
                }
                ObjectNode result = perform(toolUse, deadline);
                failed |= result.path("is_error").asBoolean();
                results.add(result);
                checkpoint(deadline);
            }
            messages.addObject().put("role", "user").set("content", results);
            pruneImages(messages);
        }
    }

    private ObjectNode request(ArrayNode messages) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", settings.model());
        body.put("max_tokens", settings.maxTokens());
        body.put("system", settings.systemPrompt());
        body.putArray("tools").add(settings.dialect().toolDefinition(settings.display()));
        body.set("messages", messages);
        return body;
    }

    /** Performs one {@code tool_use} and answers it; input the model got wrong is answered as an error, not thrown. */
    private ObjectNode perform(JsonNode toolUse, Instant deadline) {
        Optional<ToolDialect.Requested> requested = settings.dialect().requested(toolUse);
        if (requested.isEmpty()) {
            return error(toolUse, "unknown tool \"" + toolUse.path("name").asText() + "\"; only the computer tool is available");
        }
        XdotoolAction action;
        try {
            action = XdotoolAction.parse(requested.get().action(), requested.get().input(), settings.display());
        } catch (XdotoolAction.InvalidAction e) {
            progress("refused " + requested.get().action() + ": " + e.getMessage());
            return error(toolUse, e.getMessage());
        }
        int step = ++steps;
        progress("step " + step + ": " + describe(action));
        Optional<String> cursor = Optional.empty();
        if (action.command().isPresent()) {
            Desktop.CommandResult run = desktop.run(action.command().get(), limit(settings.actionTimeout().plus(action.commandTime()), deadline));
            if (!run.succeeded()) {
                String failure = action.name() + " failed" + (run.timedOut() ? ": it did not finish in time"
                        : " (exit " + run.exitCode() + "): " + run.stderr().strip());
                return failed(toolUse, step, action, failure);
            }
            if (action.reply() == XdotoolAction.Reply.CURSOR_POSITION) {
                try {
                    cursor = Optional.of(XdotoolAction.cursorPosition(run.stdout()));
                } catch (XdotoolAction.InvalidAction e) {
                    return failed(toolUse, step, action, e.getMessage());
                }
            } else {
                cancellation.pause(limit(settings.settleDelay(), deadline));
            }
        }
        cancellation.pause(limit(action.pause(), deadline));
        ObjectNode result = settings.dialect().result(toolUse, false);
        ArrayNode content = result.putArray("content");
        if (cursor.isPresent()) {
            content.addObject().put("type", "text").put("text", cursor.get());
            recorder.record(step, action, Optional.empty(), Optional.empty());
            return result;
        }
        byte[] png;
        try {
            png = desktop.screenshot(limit(settings.actionTimeout(), deadline));
        } catch (RunnerException e) {
            return failed(toolUse, step, action, e.getMessage());
        }
        recorder.record(step, action, Optional.of(png), Optional.empty());
        ObjectNode source = content.addObject().put("type", "image").putObject("source");
        source.put("type", "base64").put("media_type", "image/png").put("data", Base64.getEncoder().encodeToString(png));
        return result;
    }

    private ObjectNode failed(JsonNode toolUse, int step, XdotoolAction action, String failure) {
        progress("step " + step + " failed: " + failure);
        recorder.record(step, action, Optional.empty(), Optional.of(failure));
        return error(toolUse, failure);
    }

    private ObjectNode error(JsonNode toolUse, String message) {
        return settings.dialect().result(toolUse, true).put("content", message);
    }

    /** Ends the task here when it was cancelled or its time is up. */
    private void checkpoint(Instant deadline) {
        Optional<ExecOutcome> outcome = stopped(deadline);
        if (outcome.isPresent()) {
            throw new Stopped(outcome.get());
        }
    }

    /** The outcome of a task that was cancelled or ran out of time; empty while it may go on. */
    private Optional<ExecOutcome> stopped(Instant deadline) {
        if (cancellation.cancelled()) {
            progress("cancelled: the sandbox was destroyed");
            return Optional.of(new ExecOutcome(CANCELLED_EXIT, lastText, log.toString(), false, false));
        }
        if (!Instant.now().isBefore(deadline)) {
            progress("timed out after " + steps + " actions");
            return Optional.of(new ExecOutcome(TIMED_OUT_EXIT, lastText, log.toString(), true, false));
        }
        return Optional.empty();
    }

    /** Unwinds the loop with the outcome of a task that was stopped. */
    private static final class Stopped extends RuntimeException {
        final transient ExecOutcome outcome;

        Stopped(ExecOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    /** Keeps the newest {@code imagesKept} screenshots in the conversation; older ones become a short note. */
    private void pruneImages(ArrayNode messages) {
        if (settings.imagesKept() == 0) {
            return;
        }
        int seen = 0;
        for (int m = messages.size() - 1; m >= 0; m--) {
            for (JsonNode block : messages.get(m).path("content")) {
                if (!"tool_result".equals(block.path("type").asText()) || !block.path("content").isArray()) {
                    continue;
                }
                ArrayNode parts = (ArrayNode) block.get("content");
                for (int i = 0; i < parts.size(); i++) {
                    if ("image".equals(parts.get(i).path("type").asText()) && ++seen > settings.imagesKept()) {
                        parts.set(i, Json.MAPPER.createObjectNode().put("type", "text").put("text", IMAGE_REMOVED));
                    }
                }
            }
        }
    }

    private static String text(JsonNode content) {
        List<String> texts = new ArrayList<>();
        content.forEach(block -> {
            if ("text".equals(block.path("type").asText()) && !block.path("text").asText().isBlank()) {
                texts.add(block.path("text").asText().strip());
            }
        });
        return String.join("\n", texts);
    }

    private static String describe(XdotoolAction action) {
        StringBuilder line = new StringBuilder(action.name());
        action.detail().forEach((k, v) -> {
            if (!k.equals("action")) {
                line.append(' ').append(k).append('=').append(v);
            }
        });
        return line.toString();
    }

    private void progress(String line) {
        log.append(line).append('\n');
        output.onOutput(OutputListener.Stream.STDERR, line + "\n");
    }

    /** {@code wanted}, or what is left before the deadline if that is less (never negative). */
    private static Duration limit(Duration wanted, Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : wanted.compareTo(left) > 0 ? left : wanted;
    }
}
