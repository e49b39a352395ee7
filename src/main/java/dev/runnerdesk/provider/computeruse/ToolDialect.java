package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.wire.Json;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one version of Claude's computer tool is declared and spoken: the tool entry of the request, the
 * {@code anthropic-beta} header it needs, and how its {@code tool_use} blocks name an action. Two shapes
 * exist: the beta single tool ({@code computer_2025…}, one tool named {@code computer} whose input carries
 * {@code action}) and the GA toolset (one {@code tool_use} per action, named after it, with
 * {@code toolset_name: computer}). Which one a model takes is the table of {@link #forModel}.
 */
public record ToolDialect(String toolType, Optional<String> betaHeader, Shape shape) {
    /** The two ways the computer tool is declared and answered. */
    public enum Shape { SINGLE_TOOL, TOOLSET }

    static final String TOOL_NAME = "computer";

    public static final ToolDialect COMPUTER_20250124 =
            new ToolDialect("computer_20250124", Optional.of("computer-use-2025-01-24"), Shape.SINGLE_TOOL);
    public static final ToolDialect COMPUTER_20251124 =
            new ToolDialect("computer_20251124", Optional.of("computer-use-2025-11-24"), Shape.SINGLE_TOOL);
    public static final ToolDialect COMPUTER_TOOLSET_20260801 =
            new ToolDialect("computer_toolset_20260801", Optional.empty(), Shape.TOOLSET);

    public static final List<ToolDialect> KNOWN = List.of(COMPUTER_20250124, COMPUTER_20251124, COMPUTER_TOOLSET_20260801);

    /**
     * Model-name prefixes and the tool version each takes (per Anthropic's computer-use page); the longest
     * matching prefix wins, so {@code claude-sonnet-4-6} is not taken for {@code claude-sonnet-4-}.
     */
    static final Map<String, ToolDialect> BY_MODEL_PREFIX = Map.ofEntries(
            Map.entry("claude-3-7-sonnet", COMPUTER_20250124),
            Map.entry("claude-sonnet-4-", COMPUTER_20250124), // Sonnet 4 and 4.5
            Map.entry("claude-opus-4-", COMPUTER_20250124), // Opus 4 and 4.1
            Map.entry("claude-haiku-4-5", COMPUTER_20250124),
            Map.entry("claude-sonnet-4-6", COMPUTER_20251124),
            Map.entry("claude-sonnet-4-8", COMPUTER_20251124),
            Map.entry("claude-opus-4-5", COMPUTER_20251124),
            Map.entry("claude-opus-4-6", COMPUTER_20251124),
            Map.entry("claude-opus-4-7", COMPUTER_20251124),
            Map.entry("claude-opus-5", COMPUTER_TOOLSET_20260801),
            Map.entry("claude-sonnet-5", COMPUTER_TOOLSET_20260801),
            Map.entry("claude-haiku-5", COMPUTER_TOOLSET_20260801));

    /** The dialect of a tool type named in settings, e.g. {@code computer_20251124}. */
    public static Optional<ToolDialect> ofToolType(String toolType) {
        return KNOWN.stream().filter(d -> d.toolType.equals(toolType)).findFirst();
    }

    /** The tool version {@code model} takes; empty for a model the table does not know. */
    public static Optional<ToolDialect> forModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return BY_MODEL_PREFIX.entrySet().stream()
                .filter(e -> name.startsWith(e.getKey()))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(Map.Entry::getValue);
    }

    /** The entry of the request's {@code tools} array. */
    ObjectNode toolDefinition(Display display) {
        ObjectNode tool = Json.MAPPER.createObjectNode();
        tool.put("type", toolType);
        if (shape == Shape.SINGLE_TOOL) {
            tool.put("name", TOOL_NAME);
            tool.put("display_width_px", display.width());
            tool.put("display_height_px", display.height());
            tool.put("display_number", display.number());
        }
        return tool;
    }

    /** A {@code tool_use} block as the action it asks for; empty when the block is for another tool. */
    Optional<Requested> requested(JsonNode toolUse) {
        String name = toolUse.path("name").asText("");
        JsonNode input = toolUse.path("input");
        if (shape == Shape.TOOLSET) {
            return TOOL_NAME.equals(toolUse.path("toolset_name").asText(""))
                    ? Optional.of(new Requested(name, input)) : Optional.empty();
        }
        return TOOL_NAME.equals(name) ? Optional.of(new Requested(input.path("action").asText(""), input)) : Optional.empty();
    }

    /** The {@code tool_result} block answering {@code toolUse}, with {@code content} filled in by the caller. */
    ObjectNode result(JsonNode toolUse, boolean isError) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("type", "tool_result");
        result.put("tool_use_id", toolUse.path("id").asText());
        if (shape == Shape.TOOLSET && toolUse.has("toolset_name")) {
            result.put("toolset_name", toolUse.path("toolset_name").asText());
        }
        result.put("is_error", isError);
        return result;
    }

    /** After a failed action, the toolset expects the rest of the turn answered "not executed" (the beta tool runs them all). */
    boolean stopsTurnAfterFailure() {
        return shape == Shape.TOOLSET;
    }

    /** An action the model asked for: its name and its input as sent. */
    record Requested(String action, JsonNode input) {
    }
}
