package dev.runnerdesk.bench;

import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;

/**
 * The floor of the first-frame and memory figures: a hello-world JavaFX window, measured the way
 * {@code runnerdesk --smoke} measures the app (JVM start → first pulse after the window is shown). With
 * {@code --stay} it keeps the window open (for the idle memory figure) instead of exiting.
 */
public final class HelloFx extends Application {
    /** The entry on a plain class path, where a main class extending Application cannot start. */
    public static final class Launcher {
        private Launcher() {
        }

        public static void main(String[] args) {
            Application.launch(HelloFx.class, args);
        }
    }

    @Override
    public void start(Stage stage) {
        boolean stay = getParameters().getRaw().contains("--stay");
        stage.setScene(new Scene(new StackPane(new Label("Hello, world")), 1100, 700));
        stage.setTitle("Hello");
        stage.show();
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                stop();
                System.out.println("first-frame-ms=" + (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()));
                System.out.flush();
                if (!stay) {
                    Platform.exit();
                }
            }
        }.start();
    }
}
