package dev.runnerdesk.ui.terminal;

import dev.runnerdesk.core.Asciicast;
import dev.runnerdesk.testutil.Await;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.runnerdesk.ui.UiHarness.WAIT;
import static dev.runnerdesk.ui.UiHarness.fx;
import static dev.runnerdesk.ui.UiHarness.onFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recorded session replays in its own window. */
@ExtendWith(ApplicationExtension.class)
@org.junit.jupiter.api.Timeout(60)
class CastPlayerTest {
    private static final String CAST = """
            {"version":2,"width":100,"height":30,"timestamp":1767225600,"title":"demo"}
            [0.1,"o","$ echo hi\\r\\n"]
            [0.2,"i","secret typed"]
            [5.0,"o","\\u001b[31mhi\\u001b[0m \\"quoted\\" back\\\\slash\\r\\n"]
            damaged line
            [6.0,"r","120x40"]
            """;

    @Start
    void start(Stage stage) {
        // the replay opens a window of its own
    }

    @Test
    void parsesFramesAndSkipsWhatItCannotRead() {
        Asciicast cast = Asciicast.parse(CAST);
        assertEquals(100, cast.width());
        assertEquals(30, cast.height());
        assertEquals(4, cast.frames().size());
        assertEquals("\u001b[31mhi\u001b[0m \"quoted\" back\\slash\r\n", cast.frames().get(2).data());
    }

    private static CastPlayer.Replay replayToTheEnd(FxRobot robot, String cast) throws Exception {
        CastPlayer.Replay[] replay = new CastPlayer.Replay[1];
        WaitForAsyncUtils.asyncFx(() -> replay[0] = CastPlayer.open(Asciicast.parse(cast), "wrapped", null, false))
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-show-all").queryButton().fire()).get(10, TimeUnit.SECONDS);
        Await.until(fx(() -> replay[0].text().contains("[end of recording]")), WAIT, "the end of the recording");
        return replay[0];
    }

    @Test
    void aRecordingMadeAt47ColumnsWrapsAt47InAWiderWindow(FxRobot robot) throws Exception {
        String cast = "{\"version\":2,\"width\":47,\"height\":8,\"timestamp\":1767225600}\n"
                + "[0.1,\"o\",\"" + "a".repeat(60) + "\\r\\n\"]\n";
        CastPlayer.Replay replay = replayToTheEnd(robot, cast);
        try {
            assertEquals("47x8", onFx(replay::size), "the recorded size, not the 980-pixel window's");
            List<String> lines = onFx(replay::screenLines);
            assertEquals("a".repeat(47), lines.get(0), lines.toString());
            assertEquals("a".repeat(13), lines.get(1), lines.toString());
        } finally {
            WaitForAsyncUtils.asyncFx(() -> replay.stage().close()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReplayFollowsTheRecordingsResizes(FxRobot robot) throws Exception {
        String cast = "{\"version\":2,\"width\":47,\"height\":8,\"timestamp\":1767225600}\n"
                + "[0.1,\"o\",\"start\\r\\n\"]\n"
                + "[0.2,\"r\",\"80x10\"]\n"
                + "[0.3,\"o\",\"" + "b".repeat(60) + "\\r\\n\"]\n";
        CastPlayer.Replay replay = replayToTheEnd(robot, cast);
        try {
            assertEquals("80x10", onFx(replay::size));
            assertTrue(onFx(replay::screenLines).contains("b".repeat(60)), "60 columns fit in one line after the resize to 80: "
                    + onFx(replay::screenLines));
        } finally {
            WaitForAsyncUtils.asyncFx(() -> replay.stage().close()).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aResizeBecomesTheXtermSequenceAndNonsenseNothing() {
        assertEquals("\u001b[8;40;120t", CastPlayer.resizeSequence("120x40"));
        assertEquals("", CastPlayer.resizeSequence("wide"));
        assertEquals("\u001b[8;300;500t", CastPlayer.resizeSequence("9999x9999"), "held to what a window can show");
    }

    @Test
    void theReplayShowsTheOutputButNotTheInput(FxRobot robot) throws Exception {
        CastPlayer.Replay[] replay = new CastPlayer.Replay[1];
        WaitForAsyncUtils.asyncFx(() -> replay[0] = CastPlayer.open(Asciicast.parse(CAST), "demo", null, false))
                .get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.asyncFx(() -> robot.lookup("#replay-show-all").queryButton().fire()).get(10, TimeUnit.SECONDS);
        Await.until(fx(() -> replay[0].text().contains("[end of recording]")), WAIT, "the end of the recording");
        assertTrue(replay[0].text().contains("hi \"quoted\" back\\slash"), replay[0].text());
        assertTrue(!replay[0].text().contains("secret typed"), "input frames are not shown");
        WaitForAsyncUtils.asyncFx(() -> replay[0].stage().close()).get(10, TimeUnit.SECONDS);
    }
}
