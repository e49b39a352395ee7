package dev.runnerdesk.ui.palette;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.AppStylesheet;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The command palette (Ctrl/⌘+K): a search field over views, runners and actions, ranked by {@link FuzzyMatcher}.
 * ↑/↓ move, Enter runs, → or Tab steps into a runner's own actions (← or Backspace on an empty field steps back), Esc
 * closes. An item that cannot run now says why instead. The items are read once when it opens (the runners from the
 * loaded list, no backend call per key).
 */
public final class CommandPalette {
    /** More would not be read; a sharper query finds the rest. */
    static final int SHOWN = 50;
    private final Supplier<List<PaletteItem>> source;
    private final Popup popup = new Popup();
    final TextField field = new TextField();
    final ListView<PaletteItem> list = new ListView<>();
    final Label crumb = new Label();
    final Label status = new Label();
    private final ObservableList<PaletteItem> shown = FXCollections.observableArrayList();
    private List<PaletteItem> top = List.of();
    /** The runner stepped into, or null at the top. */
    private PaletteItem inside;

    public CommandPalette(Supplier<List<PaletteItem>> source) {
        this.source = source;
        field.setId("palette-field");
        field.setPromptText("Search views, runners and actions");
        field.setAccessibleText("Command palette: search views, runners and actions");
        field.textProperty().addListener((o, was, now) -> refresh());
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        list.setId("palette-list");
        list.setItems(shown);
        list.setAccessibleText("Matches");
        list.setFocusTraversable(false); // the field keeps the focus; the arrows move the list from there
        list.setCellFactory(l -> new ItemCell());
        list.setPrefHeight(360);
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                runSelected();
            }
        });
        crumb.setId("palette-crumb");
        crumb.getStyleClass().add(Styles.TEXT_MUTED);
        crumb.setGraphic(new FontIcon(Feather.CHEVRON_RIGHT));
        crumb.visibleProperty().bind(crumb.textProperty().isNotEmpty());
        crumb.managedProperty().bind(crumb.visibleProperty());
        status.setId("palette-status");
        status.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        status.setWrapText(true);
        VBox root = new VBox(6, crumb, field, list, status);
        root.setId("command-palette");
        root.getStyleClass().add("command-palette");
        root.setPadding(new Insets(10));
        root.setPrefWidth(620);
        root.setAccessibleRole(AccessibleRole.PARENT);
        AppStylesheet.applyTo(root);
        popup.getContent().add(root);
        popup.setAutoHide(true);
        popup.setHideOnEscape(false); // Esc steps back out of a runner first
    }

    /** Opens the palette over {@code owner}, with the items as they are now. */
    public void show(Window owner) {
        top = source.get();
        inside = null;
        crumb.setText("");
        field.setText("");
        refresh();
        Region root = (Region) popup.getContent().get(0);
        double width = Math.min(620, Math.max(360, owner.getWidth() - 80));
        root.setPrefWidth(width);
        list.setPrefHeight(Math.min(360, Math.max(160, owner.getHeight() - 260)));
        popup.show(owner, owner.getX() + (owner.getWidth() - width) / 2, owner.getY() + 70);
        field.requestFocus();
    }

    public boolean isShowing() {
        return popup.isShowing();
    }

    public void hide() {
        popup.hide();
    }

    /** The items in the order shown for {@code query}: best match first, equal ones by kind, then as given. */
    static List<PaletteItem> rank(String query, List<PaletteItem> items) {
        record Scored(PaletteItem item, int score, int index) {
        }
        List<Scored> scored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            int s = FuzzyMatcher.score(query, items.get(i).searchable());
            if (s != FuzzyMatcher.NONE) {
                scored.add(new Scored(items.get(i), s, i));
            }
        }
        scored.sort(Comparator.comparingInt((Scored s) -> -s.score).thenComparing(s -> s.item.kind())
                .thenComparingInt(Scored::index));
        return scored.stream().limit(SHOWN).map(Scored::item).toList();
    }

    private void refresh() {
        List<PaletteItem> from = inside == null ? top : inside.next();
        shown.setAll(rank(field.getText(), from));
        status.setText(shown.isEmpty() ? "Nothing matches “" + field.getText().trim() + "”"
                : "↑↓ move · Enter run · → runner actions · Esc close");
        if (!shown.isEmpty()) {
            list.getSelectionModel().select(0);
            list.scrollTo(0);
        }
    }

    private void onKey(KeyEvent e) {
        KeyCode code = e.getCode();
        int at = list.getSelectionModel().getSelectedIndex();
        switch (code) {
            case DOWN -> move(at + 1);
            case UP -> move(at - 1);
            case PAGE_DOWN -> move(at + 8);
            case PAGE_UP -> move(at - 8);
            case ENTER -> runSelected();
            case ESCAPE -> {
                if (inside != null) {
                    stepOut();
                } else {
                    popup.hide();
                }
            }
            case TAB -> stepIn();
            case RIGHT -> {
                if (field.getCaretPosition() < field.getLength() || !stepIn()) {
                    return;
                }
            }
            case LEFT, BACK_SPACE -> {
                if (inside == null || field.getCaretPosition() > 0 || field.getSelection().getLength() > 0) {
                    return;
                }
                stepOut();
            }
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void move(int to) {
        if (shown.isEmpty()) {
            return;
        }
        int index = Math.max(0, Math.min(shown.size() - 1, to));
        list.getSelectionModel().select(index);
        list.scrollTo(Math.max(0, index - 3));
    }

    private boolean stepIn() {
        PaletteItem item = list.getSelectionModel().getSelectedItem();
        if (item == null || item.next().isEmpty()) {
            return false;
        }
        inside = item;
        crumb.setText(item.title());
        field.setText("");
        refresh();
        return true;
    }

    private void stepOut() {
        inside = null;
        crumb.setText("");
        field.setText("");
        refresh();
    }

    private void runSelected() {
        PaletteItem item = list.getSelectionModel().getSelectedItem();
        if (item == null) {
            return;
        }
        if (!item.enabled()) {
            status.setText(item.title() + ": not now — " + item.whyNot());
            return;
        }
        if (item.run() == null) {
            stepIn();
            return;
        }
        popup.hide();
        item.run().run();
    }

    /** Icon, title, detail, and on the right the kind and the shortcut; a disabled item says why. */
    private static final class ItemCell extends ListCell<PaletteItem> {
        @Override
        protected void updateItem(PaletteItem item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setText(null);
                setAccessibleText(null);
                return;
            }
            Label title = new Label(item.title());
            title.getStyleClass().add("palette-title");
            Label detail = new Label(item.enabled() ? item.detail() : item.whyNot());
            detail.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
            VBox texts = new VBox(1, title, detail);
            HBox.setHgrow(texts, Priority.ALWAYS);
            texts.setMinWidth(0);
            Label kind = new Label(item.kind().label + item.shortcut().map(s -> " · " + s).orElse("")
                    + (item.next().isEmpty() ? "" : " ›"));
            kind.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
            kind.setMinWidth(Region.USE_PREF_SIZE);
            HBox line = new HBox(10, new FontIcon(item.icon()), texts, kind);
            line.setAlignment(Pos.CENTER_LEFT);
            line.setDisable(!item.enabled());
            setText(null);
            setGraphic(line);
            setAccessibleText(item.title() + ", " + item.kind().label
                    + (item.enabled() ? (item.detail().isEmpty() ? "" : ", " + item.detail()) : ", unavailable: " + item.whyNot()));
        }
    }
}
