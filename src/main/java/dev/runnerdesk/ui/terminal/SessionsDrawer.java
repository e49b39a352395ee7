package dev.runnerdesk.ui.terminal;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.UiPreferences;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Sessions drawer: a full-width area under the views with a closable tab per open terminal, in one pane or
 * several side by side (split), maximisable. It only arranges tabs; {@link TerminalSessions} decides what is in them.
 */
public final class SessionsDrawer {
    /** Panes side by side at most: a fourth terminal would be narrower than a shell can use. */
    static final int MAX_PANES = 3;
    /** The views' share above the drawer at first: the drawer gets a bit more than half of the height. */
    static final double DEFAULT_DIVIDER = 0.45;
    private final VBox root = new VBox();
    private final SplitPane panes = new SplitPane();
    private final StackPane body = new StackPane();
    private final Label title = new Label("Sessions");
    private final Label empty = new Label("No terminal open. Select a runner and press Enter (or “Open terminal”) to"
            + " open its shell; Start session opens one by itself.");
    final Button splitButton = new Button("", new FontIcon(Feather.COLUMNS));
    final Button maximiseButton = new Button("", new FontIcon(Feather.MAXIMIZE_2));
    final Button hideButton = new Button("", new FontIcon(Feather.CHEVRON_DOWN));
    private final BooleanProperty shown = new SimpleBooleanProperty(false);
    private final BooleanProperty maximised = new SimpleBooleanProperty(false);
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    private TabPane current;
    /** A tab the person closed (its key). */
    Consumer<String> onClose = key -> { };
    /** Split was asked for. */
    Runnable onSplit = () -> { };

    SessionsDrawer() {
        root.setId("sessions-drawer");
        root.getStyleClass().add("sessions-drawer");
        root.setAccessibleRole(AccessibleRole.NODE);
        root.setAccessibleText("Sessions drawer");
        title.setId("sessions-title");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        title.setMinWidth(Region.USE_PREF_SIZE);
        Label keys = new Label("Ctrl+` list ⇄ terminal · Ctrl+Shift+M maximise · Ctrl+Shift+E split");
        keys.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        keys.setMinWidth(0);
        splitButton.setId("sessions-split");
        splitButton.setTooltip(new Tooltip("Split: the selected terminal's session gets a second terminal beside it"
                + " (Ctrl+Shift+E)"));
        splitButton.setAccessibleText("Split: a second terminal beside this one");
        splitButton.setOnAction(e -> onSplit.run());
        maximiseButton.setId("sessions-maximise");
        maximiseButton.setOnAction(e -> maximised.set(!maximised.get()));
        maximised.addListener((o, was, now) -> labelMaximise());
        labelMaximise();
        hideButton.setId("sessions-hide");
        hideButton.setTooltip(new Tooltip("Hide the drawer; the terminals keep running (Ctrl+` brings it back)"));
        hideButton.setAccessibleText("Hide the sessions drawer");
        hideButton.setOnAction(e -> shown.set(false));
        for (Button b : List.of(splitButton, maximiseButton, hideButton)) {
            b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        }
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox header = new HBox(10, title, keys, gap, splitButton, maximiseButton, hideButton);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(2, 6, 2, 12));
        header.getStyleClass().add("sessions-header");
        empty.setId("sessions-empty");
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.setWrapText(true);
        empty.setPadding(new Insets(16));
        panes.setId("sessions-panes");
        body.getChildren().setAll(empty);
        VBox.setVgrow(body, Priority.ALWAYS);
        root.getChildren().addAll(header, body);
        root.setMinHeight(0);
        updateTitle();
    }

    private void labelMaximise() {
        boolean on = maximised.get();
        ((FontIcon) maximiseButton.getGraphic()).setIconCode(on ? Feather.MINIMIZE_2 : Feather.MAXIMIZE_2);
        String text = on ? "Restore: the views above come back (Ctrl+Shift+M)" : "Maximise: the terminals take the window (Ctrl+Shift+M)";
        maximiseButton.setTooltip(new Tooltip(text));
        maximiseButton.setAccessibleText(on ? "Restore the sessions drawer" : "Maximise the sessions drawer");
    }

    public Node view() {
        return root;
    }

    /**
     * {@code views} with the drawer under them, full width, as the drawer is shown, hidden or maximised; the divider
     * between them, where a person drags it, is remembered ({@link UiPreferences#SESSIONS_DIVIDER}).
     */
    public Node below(Node views, UiPreferences prefs) {
        SplitPane area = new SplitPane(views);
        area.setId("work-area");
        area.setOrientation(Orientation.VERTICAL);
        Runnable layout = () -> {
            if (!shown.get()) {
                area.getItems().setAll(views);
            } else if (maximised.get()) {
                area.getItems().setAll(root);
            } else {
                area.getItems().setAll(views, root);
                area.setDividerPositions(prefs.get(UiPreferences.SESSIONS_DIVIDER).map(SessionsDrawer::divider)
                        .orElse(DEFAULT_DIVIDER));
                area.getDividers().get(0).positionProperty().addListener((o, was, now) -> {
                    double p = now.doubleValue();
                    if (area.isPressed() && area.getItems().size() == 2 && p >= 0.1 && p <= 0.9) { // a drag, not a clamp
                        prefs.put(UiPreferences.SESSIONS_DIVIDER, String.format(Locale.ROOT, "%.3f", now.doubleValue()));
                    }
                });
            }
        };
        // a change of window height keeps the drawer's share, instead of going to one side alone
        area.heightProperty().addListener((o, was, now) -> {
            if (area.getItems().size() == 2 && !area.isPressed()) {
                area.setDividerPositions(prefs.get(UiPreferences.SESSIONS_DIVIDER).map(SessionsDrawer::divider)
                        .orElse(DEFAULT_DIVIDER));
            }
        });
        shown.addListener((o, was, now) -> {
            if (!now) {
                maximised.set(false);
            }
            layout.run();
        });
        maximised.addListener((o, was, now) -> {
            if (now) {
                shown.set(true);
            }
            layout.run();
        });
        return area;
    }

    /** A saved divider, if it leaves both the views and the drawer usable; else the default. */
    static double divider(String saved) {
        try {
            double p = Double.parseDouble(saved);
            return p >= 0.1 && p <= 0.9 ? p : DEFAULT_DIVIDER;
        } catch (NumberFormatException e) {
            return DEFAULT_DIVIDER;
        }
    }

    /** Whether the drawer is on screen. */
    public BooleanProperty shownProperty() {
        return shown;
    }

    /** Whether the drawer takes the whole window (the views above hidden). */
    public BooleanProperty maximisedProperty() {
        return maximised;
    }

    /** Adds a tab (selected) in the pane last used, or in a new pane on the right ({@code beside}, while there is room). */
    void add(String key, String text, String tooltip, Node content, boolean beside) {
        Tab tab = new Tab(text, new FontIcon(Feather.TERMINAL));
        tab.setId("sessions-tab-" + key.replace('#', '-'));
        tab.setUserData(key);
        tab.setTooltip(new Tooltip(tooltip + " — Ctrl+Shift+W or the × closes this terminal"));
        tab.setContent(content);
        tab.setOnCloseRequest(e -> {
            e.consume(); // the owner ends the terminal, then calls remove
            onClose.accept(key);
        });
        TabPane target = beside && panes.getItems().size() < MAX_PANES ? newPane() : paneForNew();
        tabs.put(key, tab);
        target.getTabs().add(tab);
        target.getSelectionModel().select(tab);
        current = target;
        body.getChildren().setAll(panes);
        updateTitle();
    }

    private TabPane paneForNew() {
        if (current != null && panes.getItems().contains(current)) {
            return current;
        }
        return panes.getItems().isEmpty() ? newPane() : (TabPane) panes.getItems().get(0);
    }

    private TabPane newPane() {
        TabPane pane = new TabPane();
        pane.setId("sessions-pane-" + panes.getItems().size());
        pane.getStyleClass().add("sessions-pane");
        pane.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        pane.focusWithinProperty().addListener((o, was, now) -> {
            if (now) {
                current = pane;
            }
        });
        pane.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && pane.isFocusWithin()) {
                current = pane;
            }
        });
        panes.getItems().add(pane);
        double share = 1.0 / panes.getItems().size();
        double[] positions = new double[panes.getItems().size() - 1];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = share * (i + 1);
        }
        panes.setDividerPositions(positions);
        return pane;
    }

    /** Takes a terminal's tab away; an emptied pane goes too. */
    void remove(String key) {
        Tab tab = tabs.remove(key);
        if (tab == null) {
            return;
        }
        TabPane pane = tab.getTabPane();
        if (pane != null) {
            pane.getTabs().remove(tab);
            if (pane.getTabs().isEmpty()) {
                panes.getItems().remove(pane);
                if (current == pane) {
                    current = panes.getItems().isEmpty() ? null : (TabPane) panes.getItems().get(0);
                }
            }
        }
        tab.setContent(null);
        if (tabs.isEmpty()) {
            body.getChildren().setAll(empty);
            maximised.set(false);
        }
        updateTitle();
    }

    /** Selects a terminal's tab (in whichever pane it is). */
    void select(String key) {
        Tab tab = tabs.get(key);
        if (tab != null && tab.getTabPane() != null) {
            tab.getTabPane().getSelectionModel().select(tab);
            current = tab.getTabPane();
        }
    }

    boolean contains(String key) {
        return tabs.containsKey(key);
    }

    /** The key of the tab selected in the pane last used. */
    Optional<String> selectedKey() {
        TabPane pane = paneForNew();
        Tab selected = panes.getItems().contains(pane) ? pane.getSelectionModel().getSelectedItem() : null;
        return Optional.ofNullable(selected).map(t -> (String) t.getUserData());
    }

    /** Every tab's key, in the order opened. */
    List<String> keys() {
        return new ArrayList<>(tabs.keySet());
    }

    /** How many panes are side by side. */
    public int paneCount() {
        return panes.getItems().size();
    }

    /** Whether {@code node} (e.g. the focus owner) is inside the drawer. */
    public boolean holds(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == root) {
                return true;
            }
        }
        return false;
    }

    private void updateTitle() {
        int n = tabs.size();
        title.setText(n == 0 ? "Sessions" : "Sessions · " + n);
        splitButton.setDisable(n == 0);
        maximiseButton.setDisable(n == 0 && !maximised.get());
    }
}
