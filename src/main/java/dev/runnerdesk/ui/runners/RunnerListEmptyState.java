package dev.runnerdesk.ui.runners;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.List;
import java.util.Optional;

/**
 * What an empty list offers a new user: the next step, in one click each — a fake runner, a local sandbox (or what
 * this machine lacks for one and how to fix it), or a gateway connection — and which providers are not available
 * here and why.
 */
final class RunnerListEmptyState extends VBox {
    final Button createFake = new Button("Create a fake runner", new FontIcon(Feather.BOX));
    final Button createLocal = new Button("Try a local sandbox", new FontIcon(Feather.TERMINAL));
    final Button connectGateway = new Button("Connect a gateway", new FontIcon(Feather.LINK));
    final Label localStatus = new Label();
    final Label unavailable = new Label();
    /** The providers of the backend, once known (empty list: they could not be read). */
    private final ObjectProperty<List<ProviderInfo>> providers = new SimpleObjectProperty<>();
    private final BooleanProperty localPossible = new SimpleBooleanProperty();
    Runnable onCreateFake = () -> { };
    Runnable onCreateLocal = () -> { };
    Runnable onConnectGateway = () -> { };

    RunnerListEmptyState(RunnerListModel model) {
        super(14);
        setId("runner-list-first-start");
        getStyleClass().add("empty-state");
        setAlignment(Pos.CENTER);
        setMaxWidth(520);
        setPadding(new Insets(24));
        Label title = new Label("No runners yet");
        title.setId("runner-list-empty-title");
        title.getStyleClass().add(Styles.TITLE_3);
        Label intro = new Label("A runner is a sandbox an AI agent works in. Start with one of these:");
        intro.setWrapText(true);
        intro.getStyleClass().add(Styles.TEXT_MUTED);

        createFake.setId("empty-create-fake");
        createFake.getStyleClass().add(Styles.ACCENT);
        createLocal.setId("empty-create-local");
        connectGateway.setId("empty-connect-gateway");
        createFake.setOnAction(e -> onCreateFake.run());
        createLocal.setOnAction(e -> onCreateLocal.run());
        connectGateway.setOnAction(e -> onConnectGateway.run());
        BooleanBinding mayCreate = model.mayAdminister.and(model.connected).and(model.actionsAllowed);
        createFake.disableProperty().bind(mayCreate.not());
        createLocal.disableProperty().bind(mayCreate.not().or(localPossible.not()));

        localStatus.setId("empty-local-status");
        localStatus.setWrapText(true);
        localStatus.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        localStatus.textProperty().bind(Bindings.createStringBinding(() -> localText(providers.get()), providers));
        unavailable.setId("empty-unavailable");
        unavailable.setWrapText(true);
        unavailable.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        unavailable.textProperty().bind(Bindings.createStringBinding(() -> othersText(providers.get()), providers));
        unavailable.visibleProperty().bind(unavailable.textProperty().isNotEmpty());
        unavailable.managedProperty().bind(unavailable.visibleProperty());
        Label roleNote = new Label();
        roleNote.setId("empty-role-note");
        roleNote.setWrapText(true);
        roleNote.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        // why the buttons are disabled: a disabled button shows no tooltip, so the reason is written under them
        roleNote.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!model.connected.get()) {
                String why = model.offlineReason.get().isEmpty() ? "not connected" : model.offlineReason.get();
                return "Cannot create runners now: " + why + ".";
            }
            return model.mayAdminister.get() ? "" : "Your role (" + (model.role.get() == null ? "?" : model.role.get().wireName())
                    + ") may not create runners; ask an admin, or connect with another key.";
        }, model.mayAdminister, model.role, model.connected, model.offlineReason));
        roleNote.visibleProperty().bind(roleNote.textProperty().isNotEmpty());
        roleNote.managedProperty().bind(roleNote.visibleProperty());

        GridPane steps = new GridPane();
        steps.setId("empty-steps");
        steps.setHgap(12);
        steps.setVgap(10);
        ColumnConstraints buttons = new ColumnConstraints();
        buttons.setMinWidth(Region.USE_PREF_SIZE); // a button's text is never cut; the three share one width
        ColumnConstraints texts = new ColumnConstraints();
        texts.setHgrow(Priority.ALWAYS);
        steps.getColumnConstraints().addAll(buttons, texts);
        step(steps, 0, createFake, note("Runs nothing: every command answers “fake output”. Try the app with no setup."));
        step(steps, 1, createLocal, localStatus);
        step(steps, 2, connectGateway, note("Use the runners of a Curate-Me gateway (Settings → Connections)."));
        getChildren().addAll(title, intro, steps, roleNote, unavailable);
    }

    /** The providers the backend offers; what the local button does and what the notes say follow from them. */
    void showProviders(List<ProviderInfo> list) {
        providers.set(List.copyOf(list));
        // unknown (could not be read): let the button try, the service says what is wrong
        localPossible.set(list.isEmpty() || local(list).map(ProviderInfo::available).orElse(false));
    }

    private static Optional<ProviderInfo> local(List<ProviderInfo> list) {
        return list.stream().filter(p -> p.type() == ProviderType.LOCAL).findFirst();
    }

    private static String localText(List<ProviderInfo> list) {
        if (list == null) {
            return "Checking whether this computer can run a local sandbox…";
        }
        if (list.isEmpty()) {
            return "Real commands in a bubblewrap sandbox on this computer.";
        }
        return local(list).map(p -> p.available() ? "Real commands in a bubblewrap sandbox on this computer, no network."
                : "Not available here: " + p.unavailableReason().orElse("no reason given"))
                .orElse("This connection has no local sandbox provider.");
    }

    private static String othersText(List<ProviderInfo> list) {
        if (list == null) {
            return "";
        }
        String others = list.stream().filter(p -> !p.available() && p.type() != ProviderType.LOCAL)
                .map(p -> "• " + p.type().wireName() + " — " + p.unavailableReason().orElse("unavailable"))
                .reduce((a, b) -> a + "\n" + b).orElse("");
        return others.isEmpty() ? "" : "Also not available here:\n" + others;
    }

    private static Label note(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        return l;
    }

    private static void step(GridPane steps, int row, Button button, Label text) {
        button.setMaxWidth(Double.MAX_VALUE);
        button.setMinWidth(Region.USE_PREF_SIZE);
        button.setAccessibleHelp(text.getText());
        text.textProperty().addListener((o, was, now) -> button.setAccessibleHelp(now));
        text.setMinHeight(Region.USE_PREF_SIZE);
        steps.addRow(row, button, text);
    }
}
