package dev.runnerdesk.ui.connections;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.GatewayDeadlines;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings → Connections → Gateway answer deadline: how long each gateway call may take, retries included. Checked as
 * it is entered (Enter, or leaving the field): a value out of range or not a number is said inline, kept in the field to
 * correct, and neither saved nor applied; a good one is saved and applies from the next call on.
 */
public final class DeadlineSetting {
    final TextField seconds = new TextField();
    final Label error = new Label();
    private final VBox root;
    private final ActiveConnection connection;
    private final UiPreferences prefs;

    public DeadlineSetting(ActiveConnection connection, UiPreferences prefs) {
        this.connection = connection;
        this.prefs = prefs;
        saved(prefs).ifPresent(connection::setDeadline);
        seconds.setId("gateway-deadline");
        seconds.setText(Long.toString(connection.deadline().toSeconds()));
        seconds.setPrefColumnCount(5);
        seconds.setAccessibleText("Gateway answer deadline in seconds");
        seconds.setTooltip(new Tooltip("How long one call to a gateway may take in all, retries included ("
                + GatewayDeadlines.SECONDS.span() + " s). A connection test waits at most "
                + GatewayDeadlines.CONNECTION_TEST.toSeconds() + " s."));
        seconds.setOnAction(e -> commit());
        seconds.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                commit();
            }
        });
        Label label = new Label("Gateway answer deadline (s)");
        label.setLabelFor(seconds);
        Label hint = new Label(GatewayDeadlines.SECONDS.span() + ", default " + GatewayDeadlines.DEFAULT.toSeconds()
                + "; applies from the next call on");
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        HBox row = new HBox(8, label, seconds, hint);
        row.setAlignment(Pos.CENTER_LEFT);
        error.setId("gateway-deadline-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.managedProperty().bind(error.textProperty().isNotEmpty());
        error.visibleProperty().bind(error.textProperty().isNotEmpty());
        root = new VBox(4, row, error);
    }

    public Node view() {
        return root;
    }

    /** Checks the field; applies and saves a good value, says what is wrong with any other. */
    void commit() {
        String text = seconds.getText() == null ? "" : seconds.getText().strip();
        Optional<String> problem;
        long value = -1;
        try {
            value = Long.parseLong(text);
            problem = GatewayDeadlines.SECONDS.problem(value).map(p -> "The deadline must be " + p + "; it was not changed.");
        } catch (NumberFormatException e) {
            problem = Optional.of("The deadline must be a whole number of seconds (" + GatewayDeadlines.SECONDS.span()
                    + "); it was not changed.");
        }
        error.setText(problem.orElse(""));
        seconds.pseudoClassStateChanged(Styles.STATE_DANGER, problem.isPresent());
        if (problem.isEmpty()) {
            connection.setDeadline(Duration.ofSeconds(value));
            prefs.put(UiPreferences.GATEWAY_DEADLINE, Long.toString(value));
        }
    }

    private static Optional<Duration> saved(UiPreferences prefs) {
        try {
            return prefs.get(UiPreferences.GATEWAY_DEADLINE).map(Long::parseLong).filter(GatewayDeadlines.SECONDS::contains).map(Duration::ofSeconds);
        } catch (NumberFormatException e) {
            return Optional.empty(); // a hand-edited value: the default instead
        }
    }
}
