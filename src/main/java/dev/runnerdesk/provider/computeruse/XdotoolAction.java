package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.provider.e2b.ShellQuote;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One action the model asked for, checked (known action, coordinates on the display, text present) and
 * turned into the {@code xdotool} command that performs it, after Anthropic's reference implementation.
 *
 * @param name         the action, e.g. {@code left_click}
 * @param detail       what the audit trail shows of it: coordinates, shortened text, key, scroll, duration
 * @param command      the shell command to run on the desktop; empty for {@code screenshot} and {@code wait}
 * @param commandTime  how long the command itself takes on purpose ({@code hold_key}), on top of the usual limit
 * @param pause        how long to wait here before the screenshot ({@code wait})
 * @param reply        what the model gets back
 */
record XdotoolAction(String name, Map<String, Object> detail, Optional<String> command, Duration commandTime,
                      Duration pause, Reply reply) {
    /** What the tool result carries: a screenshot, or the pointer's position as text. */
    enum Reply { SCREENSHOT, CURSOR_POSITION }

    /** Input the model sent that cannot be performed; the message goes back to it as an {@code is_error} result. */
    static final class InvalidAction extends Exception {
        InvalidAction(String message) {
            super(message, null, false, false);
        }
    }

    static final int MAX_TEXT_CHARS = 10_000;
    static final int MAX_SCROLL_AMOUNT = 100;
    static final double MAX_DURATION_SECONDS = 100;
    /** How much typed text an audit event keeps. */
    static final int DETAIL_TEXT_CHARS = 60;
    /** xdotool types this many characters per call, as the reference implementation does. */
    static final int TYPE_CHUNK_CHARS = 50;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_+\\-]+");
    private static final Pattern MOUSE_LOCATION = Pattern.compile("X=(\\d+)\\s+Y=(\\d+)");

    /** Checks the model's input for {@code action} and builds the command; throws with a message for the model. */
    static XdotoolAction parse(String action, JsonNode input, Display display) throws InvalidAction {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", action);
        List<String> xdotool = new ArrayList<>(List.of("xdotool"));
        return switch (action) {
            case "screenshot" -> new XdotoolAction(action, detail, Optional.empty(), Duration.ZERO, Duration.ZERO, Reply.SCREENSHOT);
            case "cursor_position" -> new XdotoolAction(action, detail, Optional.of("xdotool getmouselocation --shell"),
                    Duration.ZERO, Duration.ZERO, Reply.CURSOR_POSITION);
            case "mouse_move" -> {
                moveTo(xdotool, coordinate(input, "coordinate", true, display, detail).orElseThrow());
                yield ui(action, detail, xdotool);
            }
            case "left_click", "right_click", "middle_click", "double_click", "triple_click" -> {
                coordinate(input, "coordinate", false, display, detail).ifPresent(at -> moveTo(xdotool, at));
                Optional<String> modifier = modifier(input, detail);
                modifier.ifPresent(k -> xdotool.addAll(List.of("keydown", k)));
                xdotool.add("click");
                switch (action) {
                    case "double_click" -> xdotool.addAll(List.of("--repeat", "2", "--delay", "10", "1"));
                    case "triple_click" -> xdotool.addAll(List.of("--repeat", "3", "--delay", "10", "1"));
                    case "right_click" -> xdotool.add("3");
                    case "middle_click" -> xdotool.add("2");
                    default -> xdotool.add("1");
                }
                modifier.ifPresent(k -> xdotool.addAll(List.of("keyup", k)));
                yield ui(action, detail, xdotool);
            }
            case "left_click_drag" -> {
                Optional<int[]> start = coordinate(input, "start_coordinate", false, display, detail);
                int[] end = coordinate(input, "coordinate", true, display, detail).orElseThrow();
                start.ifPresent(at -> moveTo(xdotool, at));
                xdotool.addAll(List.of("mousedown", "1"));
                moveTo(xdotool, end);
                xdotool.addAll(List.of("mouseup", "1"));
                yield ui(action, detail, xdotool);
            }
            case "left_mouse_down", "left_mouse_up" -> {
                coordinate(input, "coordinate", false, display, detail).ifPresent(at -> moveTo(xdotool, at));
                xdotool.addAll(List.of(action.equals("left_mouse_down") ? "mousedown" : "mouseup", "1"));
                yield ui(action, detail, xdotool);
            }
            case "scroll" -> {
                coordinate(input, "coordinate", false, display, detail).ifPresent(at -> moveTo(xdotool, at));
                String direction = input.path("scroll_direction").asText("");
                String button = switch (direction) {
                    case "up" -> "4";
                    case "down" -> "5";
                    case "left" -> "6";
                    case "right" -> "7";
                    default -> throw new InvalidAction("scroll_direction must be up, down, left or right, got \"" + direction + "\"");
                };
                JsonNode amount = input.path("scroll_amount");
                if (!amount.canConvertToInt() || !amount.isIntegralNumber() || amount.asInt() < 0 || amount.asInt() > MAX_SCROLL_AMOUNT) {
                    throw new InvalidAction("scroll_amount must be a whole number from 0 to " + MAX_SCROLL_AMOUNT);
                }
                detail.put("scroll_direction", direction);
                detail.put("scroll_amount", amount.asInt());
                Optional<String> modifier = modifier(input, detail);
                modifier.ifPresent(k -> xdotool.addAll(List.of("keydown", k)));
                if (amount.asInt() > 0) {
                    xdotool.addAll(List.of("click", "--repeat", Integer.toString(amount.asInt()), button));
                }
                modifier.ifPresent(k -> xdotool.addAll(List.of("keyup", k)));
                if (xdotool.size() == 1) {
                    throw new InvalidAction("scroll with scroll_amount 0 and no coordinate does nothing");
                }
                yield ui(action, detail, xdotool);
            }
            case "key" -> {
                xdotool.addAll(List.of("key", "--"));
                xdotool.addAll(keys(text(input, detail)));
                yield ui(action, detail, xdotool);
            }
            case "hold_key" -> {
                List<String> keys = keys(text(input, detail));
                Duration duration = duration(input, detail);
                keys.forEach(k -> xdotool.addAll(List.of("keydown", k)));
                xdotool.addAll(List.of("sleep", seconds(duration)));
                keys.forEach(k -> xdotool.addAll(List.of("keyup", k)));
                yield new XdotoolAction(action, detail, Optional.of(ShellQuote.join(xdotool)), duration, Duration.ZERO, Reply.SCREENSHOT);
            }
            case "type" -> {
                String text = text(input, detail);
                List<String> chunks = new ArrayList<>();
                int[] codePoints = text.codePoints().toArray();
                for (int i = 0; i < codePoints.length; i += TYPE_CHUNK_CHARS) {
                    String chunk = new String(codePoints, i, Math.min(TYPE_CHUNK_CHARS, codePoints.length - i));
                    chunks.add(ShellQuote.join(List.of("xdotool", "type", "--delay", "12", "--", chunk)));
                }
                yield new XdotoolAction(action, detail, Optional.of(String.join(" && ", chunks)), Duration.ZERO,
                        Duration.ZERO, Reply.SCREENSHOT);
            }
            case "wait" -> new XdotoolAction(action, detail, Optional.empty(), Duration.ZERO, duration(input, detail), Reply.SCREENSHOT);
            case "zoom" -> throw new InvalidAction("zoom is not enabled on this desktop; take a screenshot instead");
            case "" -> throw new InvalidAction("no action given");
            default -> throw new InvalidAction("unknown action \"" + action + "\"");
        };
    }

    /** {@code X=…,Y=…} from {@code xdotool getmouselocation --shell}. */
    static String cursorPosition(String output) throws InvalidAction {
        Matcher m = MOUSE_LOCATION.matcher(output);
        if (!m.find()) {
            throw new InvalidAction("could not read the pointer position");
        }
        return "X=" + m.group(1) + ",Y=" + m.group(2);
    }

    private static XdotoolAction ui(String action, Map<String, Object> detail, List<String> xdotool) {
        return new XdotoolAction(action, detail, Optional.of(ShellQuote.join(xdotool)), Duration.ZERO, Duration.ZERO, Reply.SCREENSHOT);
    }

    private static void moveTo(List<String> xdotool, int[] at) {
        xdotool.addAll(List.of("mousemove", "--sync", Integer.toString(at[0]), Integer.toString(at[1])));
    }

    private static Optional<int[]> coordinate(JsonNode input, String field, boolean required, Display display,
                                              Map<String, Object> detail) throws InvalidAction {
        JsonNode node = input.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw new InvalidAction(field + " [x, y] is required");
            }
            return Optional.empty();
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isIntegralNumber() || !node.get(1).isIntegralNumber()) {
            throw new InvalidAction(field + " must be [x, y] in whole pixels, got " + node);
        }
        int x = node.get(0).asInt();
        int y = node.get(1).asInt();
        if (!display.contains(x, y)) {
            throw new InvalidAction(field + " [" + x + ", " + y + "] is outside the " + display.width() + "x"
                    + display.height() + " display");
        }
        detail.put(field, List.of(x, y));
        return Optional.of(new int[] {x, y});
    }

    private static String text(JsonNode input, Map<String, Object> detail) throws InvalidAction {
        JsonNode node = input.path("text");
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new InvalidAction("text is required");
        }
        String text = node.asText();
        if (text.length() > MAX_TEXT_CHARS) {
            throw new InvalidAction("text is longer than " + MAX_TEXT_CHARS + " characters");
        }
        detail.put("text", text.length() <= DETAIL_TEXT_CHARS ? text
                : text.substring(0, DETAIL_TEXT_CHARS) + "…(" + text.length() + " chars)");
        return text;
    }

    /** The key held during a click or scroll ({@code key}, or {@code text} as scroll names it). */
    private static Optional<String> modifier(JsonNode input, Map<String, Object> detail) throws InvalidAction {
        JsonNode node = input.hasNonNull("key") ? input.get("key") : input.path("text");
        if (!node.isTextual() || node.asText().isBlank()) {
            return Optional.empty();
        }
        String key = node.asText().trim();
        if (!KEY.matcher(key).matches()) {
            throw new InvalidAction("not a key name: \"" + key + "\"");
        }
        detail.put("key", key);
        return Optional.of(key);
    }

    /** xdotool key names (combinations like {@code ctrl+a}), separated by spaces. */
    private static List<String> keys(String text) throws InvalidAction {
        List<String> keys = List.of(text.trim().split("\\s+"));
        for (String key : keys) {
            if (!KEY.matcher(key).matches()) {
                throw new InvalidAction("not an xdotool key name: \"" + key + "\" (e.g. Return, ctrl+a, Page_Down)");
            }
        }
        return keys;
    }

    private static Duration duration(JsonNode input, Map<String, Object> detail) throws InvalidAction {
        JsonNode node = input.path("duration");
        if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > MAX_DURATION_SECONDS) {
            throw new InvalidAction("duration must be a number of seconds from 0 to " + (int) MAX_DURATION_SECONDS);
        }
        detail.put("duration", node.numberValue());
        return Duration.ofMillis(Math.round(node.asDouble() * 1000));
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
