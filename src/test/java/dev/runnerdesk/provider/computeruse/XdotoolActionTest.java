package dev.runnerdesk.provider.computeruse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each action as the xdotool command that performs it, and the input that is refused. */
class XdotoolActionTest {
    private static XdotoolAction parse(String action, String input) throws XdotoolAction.InvalidAction {
        return XdotoolAction.parse(action, json(input), Display.XGA);
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "mouse_move      | {\"coordinate\":[10,20]}                          | xdotool mousemove --sync 10 20",
            "left_click      | {\"coordinate\":[10,20]}                          | xdotool mousemove --sync 10 20 click 1",
            "left_click      | {}                                              | xdotool click 1",
            "left_click      | {\"coordinate\":[1,2],\"key\":\"shift\"}          | xdotool mousemove --sync 1 2 keydown shift click 1 keyup shift",
            "right_click     | {\"coordinate\":[0,0]}                            | xdotool mousemove --sync 0 0 click 3",
            "middle_click    | {}                                              | xdotool click 2",
            "double_click    | {\"coordinate\":[1023,767]}                       | xdotool mousemove --sync 1023 767 click --repeat 2 --delay 10 1",
            "triple_click    | {}                                              | xdotool click --repeat 3 --delay 10 1",
            "left_click_drag | {\"start_coordinate\":[1,2],\"coordinate\":[3,4]} | xdotool mousemove --sync 1 2 mousedown 1 mousemove --sync 3 4 mouseup 1",
            "left_click_drag | {\"coordinate\":[3,4]}                            | xdotool mousedown 1 mousemove --sync 3 4 mouseup 1",
            "left_mouse_down | {}                                              | xdotool mousedown 1",
            "left_mouse_up   | {\"coordinate\":[5,6]}                            | xdotool mousemove --sync 5 6 mouseup 1",
            "scroll          | {\"coordinate\":[5,6],\"scroll_direction\":\"down\",\"scroll_amount\":3} | xdotool mousemove --sync 5 6 click --repeat 3 5",
            "scroll          | {\"scroll_direction\":\"up\",\"scroll_amount\":1,\"text\":\"ctrl\"}   | xdotool keydown ctrl click --repeat 1 4 keyup ctrl",
            "scroll          | {\"scroll_direction\":\"left\",\"scroll_amount\":2}  | xdotool click --repeat 2 6",
            "scroll          | {\"scroll_direction\":\"right\",\"scroll_amount\":2} | xdotool click --repeat 2 7",
            "key             | {\"text\":\"ctrl+shift+t\"}                         | xdotool key -- ctrl+shift+t",
            "key             | {\"text\":\"Down Down Return\"}                     | xdotool key -- Down Down Return",
            "hold_key        | {\"text\":\"shift\",\"duration\":1.5}                | xdotool keydown shift sleep 1.5 keyup shift",
            "cursor_position | {}                                              | xdotool getmouselocation --shell",
    })
    void actionsBecomeTheReferenceXdotoolCommands(String action, String input, String command) throws Exception {
        assertEquals(Optional.of(command), parse(action, input).command());
    }

    @Test
    void typedTextIsQuotedAndSentInChunksOfFifty() throws Exception {
        String text = "it's $HOME `x` \"q\"\n" + "a".repeat(40);
        XdotoolAction type = parse("type", Json.write(Map.of("text", text)));

        String expected = "xdotool type --delay 12 -- 'it'\"'\"'s $HOME `x` \"q\"\n" + "a".repeat(31) + "'"
                + " && xdotool type --delay 12 -- " + "a".repeat(9);
        assertEquals(Optional.of(expected), type.command());
    }

    @Test
    void typedTextRunsThroughBashUnchanged() throws Exception {
        String text = "it's $HOME `whoami` \"q\" \\ ; & | ü 😀";
        String command = parse("type", Json.write(Map.of("text", text))).command().orElseThrow()
                .replace("xdotool type --delay 12 -- ", "printf %s ");
        Process bash = new ProcessBuilder("bash", "-c", command).start();
        assertEquals(text, new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theAuditDetailShortensLongText() throws Exception {
        XdotoolAction type = parse("type", Json.write(Map.of("text", "x".repeat(100))));
        assertEquals("x".repeat(60) + "…(100 chars)", type.detail().get("text"));
        assertEquals(List.of(3, 4), parse("left_click", "{\"coordinate\":[3,4]}").detail().get("coordinate"));
    }

    @Test
    void waitPausesHereAndScreenshotRunsNothing() throws Exception {
        XdotoolAction wait = parse("wait", "{\"duration\":2}");
        assertEquals(Optional.empty(), wait.command());
        assertEquals(Duration.ofSeconds(2), wait.pause());
        assertEquals(Optional.empty(), parse("screenshot", "{}").command());
        assertEquals(Duration.ofMillis(1500), parse("hold_key", "{\"text\":\"a\",\"duration\":1.5}").commandTime());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "left_click   | {\"coordinate\":[1024,0]}     | coordinate [1024, 0] is outside the 1024x768 display",
            "mouse_move   | {\"coordinate\":[0,-1]}       | coordinate [0, -1] is outside the 1024x768 display",
            "mouse_move   | {}                          | coordinate [x, y] is required",
            "mouse_move   | {\"coordinate\":[1.5,2]}      | coordinate must be [x, y] in whole pixels, got [1.5,2]",
            "mouse_move   | {\"coordinate\":\"10,20\"}      | coordinate must be [x, y] in whole pixels, got \"10,20\"",
            "type         | {}                          | text is required",
            "key          | {\"text\":\"ctrl+a; rm -rf /\"} | not an xdotool key name: \"ctrl+a;\" (e.g. Return, ctrl+a, Page_Down)",
            "scroll       | {\"scroll_direction\":\"in\",\"scroll_amount\":1} | scroll_direction must be up, down, left or right, got \"in\"",
            "scroll       | {\"scroll_direction\":\"up\",\"scroll_amount\":-1} | scroll_amount must be a whole number from 0 to 100",
            "wait         | {\"duration\":101}             | duration must be a number of seconds from 0 to 100",
            "left_click   | {\"key\":\"$(reboot)\"}          | not a key name: \"$(reboot)\"",
            "zoom         | {\"region\":[0,0,10,10]}       | zoom is not enabled on this desktop; take a screenshot instead",
            "teleport     | {}                          | unknown action \"teleport\"",
    })
    void badInputIsRefusedWithAMessageForTheModel(String action, String input, String message) {
        XdotoolAction.InvalidAction refused = assertThrows(XdotoolAction.InvalidAction.class, () -> parse(action, input));
        assertEquals(message, refused.getMessage());
    }

    @Test
    void thePointerPositionIsReadFromXdotool() throws Exception {
        assertEquals("X=512,Y=384", XdotoolAction.cursorPosition("X=512\nY=384\nSCREEN=0\nWINDOW=1\n"));
        assertThrows(XdotoolAction.InvalidAction.class, () -> XdotoolAction.cursorPosition("Error"));
    }
}
