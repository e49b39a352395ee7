package dev.runnerdesk.ui.terminal;

import atlantafx.base.theme.Styles;
import com.techsenger.jeditermfx.core.util.TermSize;
import dev.runnerdesk.core.Asciicast;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replays a recorded terminal session (asciicast v2) in a window of its own, at twice the recorded pace
 * with pauses cut to a second; "Show all" skips to the end. The replay has the recorded size in cells, whatever
 * the window's (scrolling when it is larger), and follows the recording's resizes, so wrapped lines wrap where
 * they did.
 */
public final class CastPlayer {
    private static final double SPEED = 2.0;
    private static final double MAX_PAUSE_SECONDS = 1.0;
    private static final int MAX_COLUMNS = 500;
    private static final int MAX_ROWS = 300;

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

        /** The replay's size in cells now, "COLSxROWS". */
        String size() {
            var buffer = widget.getTerminalTextBuffer();
            return buffer.getWidth() + "x" + buffer.getHeight();
        }

        /** The screen's lines as they are wrapped, without trailing blanks. */
        List<String> screenLines() {
            var buffer = widget.getTerminalTextBuffer();
            buffer.lock();
            try {
                List<String> lines = new ArrayList<>();
                for (int y = 0; y < buffer.getHeight(); y++) {
                    lines.add(buffer.getLine(y).getText().stripTrailing());
                }
                return lines;
            } finally {
                buffer.unlock();
            }
        }
    }

    public static Replay open(Asciicast cast, String title, Window owner, boolean dark) {
        RunnerTerminalWidget widget = new RunnerTerminalWidget(columns(cast.width()), rows(cast.height()),
                new TerminalSettings(dark ? TerminalTheme.DARK : TerminalTheme.LIGHT, 100_000), text -> false);
        widget.fixSize();
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
        ScrollPane screen = new ScrollPane(widget.getPane());
        screen.setId("replay-screen");
        screen.setStyle("-fx-background: " + widget.theme().backgroundCss() + "; -fx-background-color: "
                + widget.theme().backgroundCss() + ";");
        BorderPane root = new BorderPane(screen, bar, null, null, null);
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

    private static int columns(int recorded) {
        return Math.max(2, Math.min(MAX_COLUMNS, recorded));
    }

    private static int rows(int recorded) {
        return Math.max(2, Math.min(MAX_ROWS, recorded));
    }

    /**
     * The xterm sequence that sets the text area to {@code data} ("COLSxROWS", an asciicast resize), in the stream
     * so it lands between the output before and after it; empty for data it cannot read.
     */
    static String resizeSequence(String data) {
        String[] parts = data.trim().split("x");
        try {
            return parts.length != 2 ? "" : "\u001b[8;" + rows(Integer.parseInt(parts[1].trim())) + ";"
                    + columns(Integer.parseInt(parts[0].trim())) + "t";
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /** Feeds the recorded output and resizes with their timing; input frames are not shown. */
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
                        } else if (frame.code().equals("r")) {
                            pipe.push(resizeSequence(frame.data()));
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
            // the recording sets its size: nothing to tell anyone
        }
    }
}
