package dev.runnerdesk.ui.runners;

import dev.runnerdesk.bench.PulseLog;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.Theme;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Child JVM of the runner-list benchmark (run with JavaFX's pulse logger on): the runner table with 10,000 rows,
 * the TTL countdown ticking, then 1,000 state changes applied the way the list controller applies a burst of
 * live updates — in one FX runnable, through {@link RunnerListModel#upsertAll} — ten times, a second apart.
 * Prints each burst's FX-thread time and markers around the measured window.
 */
public final class RunnerListPulses extends Application {
    static final int ROWS = 10_000;
    static final int CHANGES = 1_000;
    static final int BURSTS = 10;

    public static final class Launcher {
        private Launcher() {
        }

        public static void main(String[] args) {
            Application.launch(RunnerListPulses.class, args);
        }
    }

    private final List<Runner> runners = new ArrayList<>();
    private RunnerListModel model;
    private int burst;

    @Override
    public void start(Stage stage) {
        new Theme(false, Theme.Mode.LIGHT).apply();
        model = new RunnerListModel(Clock.systemUTC());
        RunnerListView view = new RunnerListView(model);
        stage.setScene(new Scene(view.root, 1280, 800));
        stage.show();
        Instant now = Instant.now();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < ROWS; i++) {
            String id = "runner_" + hex.toHexDigits((long) i).substring(4);
            runners.add(new Runner(id, RunnerState.READY, ProviderType.FAKE, ToolProfile.LOCKED, 3600,
                    now.minusSeconds(i), now.plusSeconds(3600 - i), Optional.empty(), Optional.empty(), Optional.empty()));
        }
        model.replaceAll(runners, ROWS);
        Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> model.tick()));
        ticker.setCycleCount(Timeline.INDEFINITE);
        ticker.play();
        PauseTransition settle = new PauseTransition(Duration.seconds(3));
        settle.setOnFinished(e -> {
            System.out.println(PulseLog.START);
            nextBurst();
        });
        settle.play();
    }

    private void nextBurst() {
        if (burst == BURSTS) {
            PauseTransition after = new PauseTransition(Duration.seconds(1));
            after.setOnFinished(e -> {
                System.out.println(PulseLog.END);
                Platform.exit();
            });
            after.play();
            return;
        }
        // 1,000 rows spread over the table change state (ready ⇄ failed), as a burst of live events would
        long started = System.nanoTime();
        RunnerState to = burst % 2 == 0 ? RunnerState.FAILED : RunnerState.READY;
        List<Runner> changed = new ArrayList<>(CHANGES);
        for (int i = 0; i < CHANGES; i++) {
            Runner r = runners.get((int) ((long) i * ROWS / CHANGES));
            changed.add(new Runner(r.runnerId(), to, r.providerType(), r.toolProfile(), r.ttlSeconds(), r.createdAt(),
                    r.expiresAt(), r.imageRef(), r.activeSession(), to == RunnerState.FAILED ? Optional.of("bench") : Optional.empty()));
        }
        model.upsertAll(changed);
        System.out.println("burst-ms=" + (System.nanoTime() - started) / 1e6);
        burst++;
        PauseTransition gap = new PauseTransition(Duration.seconds(1));
        gap.setOnFinished(e -> nextBurst());
        gap.play();
    }
}
