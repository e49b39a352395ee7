package dev.runnerdesk.ui.timeline;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.EventTypes;
import javafx.beans.binding.Bindings;
import javafx.collections.SetChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The timeline's filter, built in code and bound both ways to the model's: the event types (presets and single
 * types in a menu), runner, session, actor, time range (quick picks or from–to) and search text; under it the
 * filter as a readable line, what is wrong with it, and Clear.
 */
final class TimelineFilterBar {
    final FlowPane bar = new FlowPane(8, 6);
    final HBox queryBar = new HBox(8);
    final MenuButton typesButton = new MenuButton("All types");
    final Map<String, CheckBox> typeChecks = new LinkedHashMap<>();
    final Map<TypePreset, Button> presetButtons = new EnumMap<>(TypePreset.class);
    final Button allTypesButton = new Button("All types");
    final TextField runnerField = new TextField();
    final TextField sessionField = new TextField();
    final TextField actorField = new TextField();
    final ComboBox<TimeRange> rangeBox = new ComboBox<>();
    final TextField fromField = new TextField();
    final TextField toField = new TextField();
    final CustomTextField searchField = new CustomTextField();
    final Label queryLine = new Label();
    final Label filterProblem = new Label();
    final Button clearButton = new Button("Clear", new FontIcon(Feather.X));
    private final TimelineModel model;
    /** The checks follow the model's types while this is set, without writing them back. */
    private boolean syncingChecks;

    TimelineFilterBar(TimelineModel model) {
        this.model = model;
        buildTypes();
        buildFields();
        buildQueryLine();
        bind();
    }

    private void buildTypes() {
        typesButton.setId("timeline-types");
        typesButton.setMnemonicParsing(false);
        typesButton.setGraphic(new FontIcon(Feather.LAYERS));
        typesButton.setTooltip(new Tooltip("Event types shown (presets and single types)"));
        HBox presets = new HBox(4);
        for (TypePreset p : TypePreset.values()) {
            Button b = new Button(p.label);
            b.setMnemonicParsing(false);
            b.setId("timeline-preset-" + p.idSuffix);
            b.getStyleClass().addAll(Styles.SMALL);
            b.setTooltip(new Tooltip(String.join(", ", p.types.stream().sorted().toList())));
            presetButtons.put(p, b);
            presets.getChildren().add(b);
        }
        allTypesButton.setId("timeline-preset-all");
        allTypesButton.getStyleClass().add(Styles.SMALL);
        presets.getChildren().add(allTypesButton);
        CustomMenuItem presetItem = new CustomMenuItem(presets, false);
        typesButton.getItems().addAll(presetItem, new SeparatorMenuItem());
        for (String type : EventTypes.ALL) {
            CheckBox check = new CheckBox(type);
            // event types hold underscores (command.timed_out): shown as they are, never as mnemonics
            check.setMnemonicParsing(false);
            check.setId("timeline-type-" + type.replace('.', '-').replace('_', '-'));
            typeChecks.put(type, check);
            typesButton.getItems().add(new CustomMenuItem(check, false));
        }
        typesButton.textProperty().bind(Bindings.createStringBinding(() -> model.types.isEmpty() ? "All types"
                : model.types.size() == 1 ? model.types.iterator().next() : model.types.size() + " types", model.types));
    }

    private void buildFields() {
        runnerField.setId("timeline-runner");
        runnerField.setPromptText("Runner id");
        runnerField.setPrefColumnCount(13);
        sessionField.setId("timeline-session");
        sessionField.setPromptText("Session id");
        sessionField.setPrefColumnCount(11);
        actorField.setId("timeline-actor");
        actorField.setPromptText("Actor");
        actorField.setPrefColumnCount(7);
        rangeBox.setId("timeline-range");
        rangeBox.getItems().setAll(TimeRange.values());
        rangeBox.setTooltip(new Tooltip("Time range"));
        fromField.setId("timeline-from");
        fromField.setPromptText("from yyyy-MM-dd HH:mm");
        fromField.setPrefColumnCount(11);
        toField.setId("timeline-to");
        toField.setPromptText("to (empty: now)");
        toField.setPrefColumnCount(11);
        for (TextField f : new TextField[] {fromField, toField}) {
            f.visibleProperty().bind(model.range.isEqualTo(TimeRange.CUSTOM));
            f.managedProperty().bind(f.visibleProperty());
        }
        searchField.setId("timeline-search");
        searchField.setPromptText("Search text");
        searchField.setLeft(new FontIcon(Feather.SEARCH));
        searchField.setPrefColumnCount(12);
        searchField.setTooltip(new Tooltip("Finds the text in the type, ids, actor or data; matches are highlighted"));
        bar.getChildren().setAll(typesButton, runnerField, sessionField, actorField, rangeBox, fromField, toField, searchField);
        bar.setId("timeline-filters");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 16, 6, 16));
    }

    private void buildQueryLine() {
        queryLine.setId("timeline-query-line");
        queryLine.getStyleClass().add("query-line");
        queryLine.textProperty().bind(model.queryLine);
        queryLine.setGraphic(new FontIcon(Feather.FILTER));
        filterProblem.setId("timeline-filter-problem");
        filterProblem.getStyleClass().add(Styles.DANGER);
        filterProblem.textProperty().bind(model.filterProblem);
        clearButton.setId("timeline-clear");
        clearButton.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        clearButton.setTooltip(new Tooltip("Clear every filter"));
        queryBar.getChildren().setAll(queryLine, filterProblem, clearButton);
        queryBar.setAlignment(Pos.CENTER_LEFT);
        queryBar.setPadding(new Insets(0, 16, 8, 16));
    }

    /** The fields and the model's filter follow each other; the buttons change the model's filter. */
    private void bind() {
        runnerField.textProperty().bindBidirectional(model.runner);
        sessionField.textProperty().bindBidirectional(model.session);
        actorField.textProperty().bindBidirectional(model.actor);
        searchField.textProperty().bindBidirectional(model.text);
        fromField.textProperty().bindBidirectional(model.customFrom);
        toField.textProperty().bindBidirectional(model.customTo);
        rangeBox.valueProperty().bindBidirectional(model.range);
        typeChecks.forEach((type, check) -> check.selectedProperty().addListener((o, was, on) -> {
            if (syncingChecks) {
                return;
            }
            if (on) {
                model.types.add(type);
            } else {
                model.types.remove(type);
            }
        }));
        model.types.addListener((SetChangeListener<String>) c -> {
            syncingChecks = true;
            typeChecks.forEach((type, check) -> check.setSelected(model.types.contains(type)));
            syncingChecks = false;
        });
        presetButtons.forEach((preset, button) -> button.setOnAction(e -> model.showOnly(preset)));
        allTypesButton.setOnAction(e -> model.types.clear());
        clearButton.setOnAction(e -> model.clearFilter());
        clearButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.filtered(), model.queryLine));
    }
}
