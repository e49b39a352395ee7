package dev.runnerdesk.ui.screen;

import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequence the Screen tab steps through, and how an action reads; no toolkit needed. */
class ScreenModelTest {
    private static ComputerAction action(long seq, String session, int step, Object... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put((String) keyValues[i], keyValues[i + 1]);
        }
        data.putIfAbsent("action", "screenshot");
        data.put("screenshot", session + "-" + step + ".png");
        return ComputerAction.of(new AuditEvent(seq, EventTypes.COMPUTER_ACTION, Instant.EPOCH, Optional.of("runner_1"),
                Optional.of(session), "sandbox", data, "p", "h")).orElseThrow();
    }

    @Test
    void actionsFromThePageAndTheLiveStreamAreKeptOnceInSeqOrderAndTheNewestIsFollowed() {
        ScreenModel model = new ScreenModel();
        model.reset("runner_1");
        model.addAll(List.of(action(12, "s1", 3)));                      // live, before the page arrived
        model.addAll(List.of(action(10, "s1", 1), action(11, "s1", 2), action(12, "s1", 3)));
        assertEquals(List.of(10L, 11L, 12L), model.frames.stream().map(ComputerAction::seq).toList());
        assertEquals(2, model.index.get());
        model.addAll(List.of(action(13, "s1", 4)));
        assertEquals(3, model.index.get(), "following: the newest is shown");
    }

    @Test
    void steppingBackStopsFollowingAndLatestResumesIt() {
        ScreenModel model = new ScreenModel();
        model.reset("runner_1");
        model.addAll(List.of(action(1, "s1", 1), action(2, "s1", 2), action(3, "s1", 3)));
        model.previous();
        assertFalse(model.follow.get());
        assertEquals(1, model.index.get());
        model.addAll(List.of(action(4, "s1", 4)));
        assertEquals(1, model.index.get(), "a new action does not take the screen away");
        assertEquals(2, model.current().orElseThrow().step().orElseThrow());
        model.first();
        model.previous();
        assertEquals(0, model.index.get(), "no step before the first");
        assertFalse(model.hasPrevious.get());
        model.latest();
        assertTrue(model.follow.get());
        assertEquals(3, model.index.get());
        assertFalse(model.hasNext.get());
    }

    @Test
    void anActionOfANewerSessionStartsTheSequenceOver() {
        ScreenModel model = new ScreenModel();
        model.reset("runner_1");
        model.addAll(List.of(action(1, "s1", 1), action(2, "s1", 2)));
        model.addAll(List.of(action(9, "s2", 1)));
        assertEquals(List.of(9L), model.frames.stream().map(ComputerAction::seq).toList());
        assertEquals(0, model.index.get());
    }

    @Test
    void captionsSayWhatTheActionDidAndWhere() {
        assertEquals("Step 2 · left_click at (412, 168)",
                action(1, "s", 2, "action", "left_click", "coordinate", List.of(412, 168)).stepCaption());
        assertEquals("type “hello⏎world”", action(1, "s", 3, "action", "type", "text", "hello\nworld").caption());
        assertEquals("left_click_drag from (1, 2) to (30, 40)", action(1, "s", 4, "action", "left_click_drag",
                "start_coordinate", List.of(1, 2), "coordinate", List.of(30, 40)).caption());
        assertEquals("scroll down 3 at (5, 6) with shift", action(1, "s", 5, "action", "scroll", "scroll_direction", "down",
                "scroll_amount", 3, "coordinate", List.of(5, 6), "key", "shift").caption());
        assertEquals("left_click at (9, 9) — failed: xdotool exited 1", action(1, "s", 6, "action", "left_click",
                "coordinate", List.of(9, 9), "error", "xdotool exited 1").caption());
        assertTrue(ComputerAction.of(new AuditEvent(1, EventTypes.COMMAND_EXECUTED, Instant.EPOCH, Optional.of("r"),
                Optional.empty(), "local", Map.of(), "p", "h")).isEmpty());
    }

    @Test
    void aScreenshotThatCannotBeShownSaysWhy() {
        assertTrue(Screenshots.problem(new RunnerException.NotFound("runner r has no screenshot a.png"))
                .startsWith("Screenshot missing"));
        assertTrue(Screenshots.problem(new RunnerException.Unavailable("HTTP 502 from the gateway"))
                .equals("The backend cannot serve this screenshot: HTTP 502 from the gateway"));
        assertEquals(Optional.of(new ComputerAction.Point(1, 2)), action(1, "s", 1, "action", "left_click_drag",
                "start_coordinate", List.of(1, 2), "coordinate", List.of(3, 4)).startCoordinate());
    }
}
