package dev.runnerdesk.ui.terminal;

import atlantafx.base.theme.Styles;
import com.techsenger.jeditermfx.core.util.TermSize;
import dev.runnerdesk.core.Asciicast;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays a recorded terminal session (asciicast v2) in a window of its own, at twice the recorded pace
 * with pauses cut to a second; "Show all" skips to the end.
 */
public final class CastPlayer {
    private static final double SPEED = 2.0;
    private static final double MAX_PAUSE_SECONDS = 1.0;

    private CastPlayer() {
    }

    /** An open replay window. */
    public static final class Replay {
        private final Stage stage;
        private final RunnerTerminalWidget widget;

        Replay(Stage stage, RunnerTerminalWidget widget) {
            this.stage = stage;
            this.widget = widget;
        }

        public Stage stage() {
            return stage;
        }

        /** What the replay shows so far, scrollback included. */
        String text() {
            var buffer = widget.getTerminalTextBuffer();
            buffer.lock();
            try {
                return buffer.getHistoryBuffer().getLines() + buffer.getScreenLines();
            } finally {
                buffer.unlock();
            }
        }
    }

    public static Replay open(Asciicast cast, String title, Window owner, boolean dark) {
        RunnerTerminalWidget widget = new RunnerTerminalWidget(Math.min(500, cast.width()), Math.min(300, cast.height()),
                new TerminalSettings(dark ? TerminalTheme.DARK : TerminalTheme.LIGHT, 100_000), text -> false);
        AtomicBoolean skip = new AtomicBoolean();
        Playback playback = new Playback(title, cast, skip);
        widget.setTtyConnector(playback);
        widget.start();
        Label status = new Label("Replaying at 2× · " + cast.frames().size() + " frames");
        status.setId("replay-status");
        status.getStyleClass().add(Styles.TEXT_MUTED);
        Button all = new Button("Show all");
        all.setId("replay-show-all");
        all.setOnAction(e -> skip.set(true));
        HBox bar = new HBox(12, status, all);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 10, 6, 10));
        BorderPane root = new BorderPane(widget.getPane(), bar, null, null, null);
        root.setId("replay");
        Stage stage = new Stage();
        stage.setTitle("Replay · " + title);
        Scene scene = new Scene(root, 980, 640);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            stage.initOwner(owner);
        }
        stage.setScene(scene);
        stage.setOnHidden(e -> {
            playback.close();
            widget.close();
        });
        stage.show();
        return new Replay(stage, widget);
    }

    /** Feeds the recorded output with its timing; input frames are not shown. */
    private static final class Playback extends PipedConnector {
        private final Thread player;

        Playback(String name, Asciicast cast, AtomicBoolean skip) {
            super(name);
            player = new Thread(() -> {
                double at = 0;
                try {
                    for (Asciicast.Frame frame : cast.frames()) {
                        double pause = Math.min(MAX_PAUSE_SECONDS, Math.max(0, frame.seconds() - at)) / SPEED;
                        at = frame.seconds();
                        if (!skip.get() && pause > 0) {
                            Thread.sleep((long) (pause * 1000));
                        }
                        if (frame.code().equals("o")) {
                            pipe.push(frame.data().getBytes(StandardCharsets.UTF_8));
                        }
                    }
                    pipe.push("\r\n\u001b[2m[end of recording]\u001b[0m\r\n");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "runnerdesk-replay");
            player.setDaemon(true);
            player.start();
        }

        @Override
        void release() {
            player.interrupt();
        }

        @Override
        public void write(byte[] bytes) {
            // a replay takes no input
        }

        @Override
        public void resize(TermSize termSize) {
            // the recording keeps its size
        }
    }
}
