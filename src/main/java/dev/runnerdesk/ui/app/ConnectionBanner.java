package dev.runnerdesk.ui.app;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.ui.common.WaitIndicator;
import dev.runnerdesk.ui.connections.ActiveConnection;
import javafx.animation.PauseTransition;
import javafx.beans.InvalidationListener;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One banner above the content when the connection is not usable: a gateway that takes more than a second to open
 * (what it waits for, with Cancel), the beta gate, a refused key, offline (with the retry countdown), or a profile
 * that cannot be opened. Never a modal dialog.
 */
final class ConnectionBanner {
    final HBox root = new HBox(14);
    final Label title = new Label();
    final Label text = new Label();
    final Button retry = new Button("_Retry now", new FontIcon(Feather.REFRESH_CW));
    final Button enterKey = new Button("_Enter API key…", new FontIcon(Feather.KEY));
    final Button useLocal = new Button("Use _This computer", new FontIcon(Feather.MONITOR));
    final Button settings = new Button("Connection settings", new FontIcon(Feather.SETTINGS));
    /** Opening a gateway that is slow to answer: how long so far, and Cancel. */
    final WaitIndicator connecting = new WaitIndicator("connect-wait", true);
    /** A connection that opens within it shows no banner. */
    private final PauseTransition connectingDelay = new PauseTransition(Duration.seconds(1));
    private ConnectionProfile connectingTo;
    private final FontIcon icon = new FontIcon(Feather.INFO);
    private final ActiveConnection active;
    private final ObservableValue<KeyStorage.State> keys;

    /** {@code keys}: where API keys are kept (null until known), which the refused-key banner says. */
    ConnectionBanner(ActiveConnection active, ObservableValue<KeyStorage.State> keys) {
        this.active = active;
        this.keys = keys;
        title.getStyleClass().add(Styles.TEXT_BOLD);
        title.setWrapText(true);
        text.setWrapText(true);
        // wrapped, never cut, in a narrow window: a label gets the height of its wrapped lines only when asked to
        title.setMinHeight(Region.USE_PREF_SIZE);
        text.setMinHeight(Region.USE_PREF_SIZE);
        retry.setId("banner-retry");
        enterKey.setId("banner-enter-key");
        useLocal.setId("banner-use-local");
        settings.setId("banner-settings");
        for (Button b : new Button[] {retry, enterKey, useLocal, settings}) {
            b.getStyleClass().add(Styles.SMALL);
            b.setMnemonicParsing(true);
        }
        VBox words = new VBox(4, title, text, connecting.view());
        connectingDelay.setOnFinished(e -> showConnecting());
        HBox.setHgrow(words, Priority.ALWAYS);
        HBox buttons = new HBox(6, retry, enterKey, useLocal, settings);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setMinWidth(Region.USE_PREF_SIZE);
        icon.setIconSize(22);
        root.getChildren().addAll(icon, words, buttons);
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(12, 16, 12, 16));
        root.getStyleClass().add("connection-banner");
        InvalidationListener render = o -> render();
        active.healthProperty().addListener(render);
        active.problemProperty().addListener(render);
        active.retryInProperty().addListener(render);
        active.profileProperty().addListener(render);
        keys.addListener(render);
        render();
    }

    private void render() {
        ConnectionProfile p = active.profile();
        boolean gateway = p.kind() == ConnectionProfile.Kind.GATEWAY;
        String where = p.name() + p.baseUrl().map(u -> " (" + u + ")").orElse("");
        String problem = active.problemProperty().get();
        if (active.health() == ActiveConnection.Health.CONNECTING && gateway) {
            if (connectingTo != p) { // a new attempt: shown if it is still waiting in a second
                connectingTo = p;
                connecting.done();
                connectingDelay.playFromStart();
            }
            if (!connecting.waitingProperty().get()) {
                hide();
            }
            return;
        }
        connectingTo = null;
        connectingDelay.stop();
        connecting.done();
        text.setVisible(true);
        text.setManaged(true);
        show(retry, false);
        show(enterKey, false);
        show(useLocal, gateway);
        show(settings, true);
        switch (active.health()) {
            case BETA_DISABLED -> {
                kind("beta-banner", "banner-accent", Feather.LOCK);
                title.setText("Managed runners are in private beta for this account");
                text.setText(where + " does not give this account access to managed runners (its runner routes answer "
                        + "404). To request access, ask for the managed runners beta for your Curate-Me account "
                        + "(your account admin can request it; the account is then added to the beta allowlist). "
                        + "Once it is enabled, press Retry. Meanwhile runners on This computer need no account.");
                show(retry, true);
            }
            case UNAUTHORIZED -> {
                kind("unauthorized-banner", "banner-danger", Feather.KEY);
                title.setText(p.name() + " did not accept the API key");
                KeyStorage.State kept = keys.getValue();
                text.setText((problem.isEmpty() ? "" : problem + ". ") + "Enter the key again; it is "
                        + (kept == null ? "" : "kept in " + kept.place() + " and ") + "never shown in full.");
                show(enterKey, gateway);
            }
            case OFFLINE -> {
                kind("offline-banner", "banner-warning", Feather.WIFI_OFF);
                title.setText("Cannot reach " + where);
                int in = active.retryInProperty().get();
                text.setText((problem.isEmpty() ? "" : problem + ". ") + "The last data stays on screen, marked stale. "
                        + (in > 0 ? "Retrying in " + in + " s." : "Retrying…"));
                show(retry, true);
            }
            case FAILED -> {
                kind("connection-failed-banner", "banner-danger", Feather.ALERT_OCTAGON);
                title.setText("Cannot use " + where);
                text.setText(problem + ". Check the connection in Settings.");
                show(retry, true);
            }
            default -> {
                hide();
                return;
            }
        }
        root.setVisible(true);
        root.setManaged(true);
    }

    /** Still opening a gateway a second on: what it waits for, Cancel, and the way to This computer meanwhile. */
    private void showConnecting() {
        ConnectionProfile p = active.profile();
        if (active.health() != ActiveConnection.Health.CONNECTING || p != connectingTo) {
            return;
        }
        kind("connecting-banner", "banner-accent", Feather.CLOUD);
        title.setText("Connecting to " + p.name() + p.baseUrl().map(u -> " (" + u + ")").orElse(""));
        text.setVisible(false);
        text.setManaged(false);
        show(retry, false);
        show(enterKey, false);
        show(useLocal, true);
        show(settings, true);
        connecting.start("Waiting for " + ActiveConnection.where(p) + " to answer", active::cancelConnecting);
        root.setVisible(true);
        root.setManaged(true);
    }

    private void hide() {
        root.setId("no-banner");
        root.setVisible(false);
        root.setManaged(false);
    }

    private void kind(String id, String styleClass, Feather glyph) {
        root.setId(id);
        root.getStyleClass().removeIf(c -> c.startsWith("banner-"));
        root.getStyleClass().add(styleClass);
        icon.setIconCode(glyph);
    }

    private static void show(Button b, boolean visible) {
        b.setVisible(visible);
        b.setManaged(visible);
    }
}
