package dev.runnerdesk.ui.policy;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.ui.common.FocusScrolling;
import dev.runnerdesk.ui.common.RoleGate;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The Policies view built in code: tool profiles as a matrix, the PII detectors with a test box
 * ({@link PiiScanningPane}), roles and members.
 */
final class PolicyView {
    final BorderPane root = new BorderPane();
    final Button saveButton = new Button("Save", new FontIcon(Feather.SAVE));
    final Button revertButton = new Button("Revert", new FontIcon(Feather.ROTATE_CCW));
    final Button refreshButton = new Button("", new FontIcon(Feather.REFRESH_CW));
    final Label readOnly = new Label();
    final Label saveError = new Label();
    final Label savedNote = new Label();
    final TabPane tabs = new TabPane();
    /** A load that takes a while: what it waits for, for how long, and Cancel. */
    final WaitIndicator wait = new WaitIndicator("policy-wait", false);
    final TableView<Member> membersTable = new TableView<>();
    final VBox rolesBox = new VBox(10);
    /** Every editing control, disabled (or read-only) together for roles that may not edit. */
    final List<Control> editors = new ArrayList<>();
    final StringBinding editReason;
    private final PolicyModel model;

    PolicyView(PolicyModel model) {
        this.model = model;
        editReason = model.editReason(RoleGate.reason(model.role, Role.Permission.ADMINISTER, "editing policies"));
        root.setId("policies");
        root.setTop(header());
        Tab profiles = new Tab("Tool profiles", scroll(matrix()));
        profiles.setId("policy-tab-profiles");
        PiiScanningPane piiPane = new PiiScanningPane(model);
        editors.addAll(piiPane.editors);
        Tab pii = new Tab("PII scanning", scroll(piiPane.root));
        pii.setId("policy-tab-pii");
        Tab roles = new Tab("Roles", rolesPane());
        roles.setId("policy-tab-roles");
        tabs.getTabs().addAll(profiles, pii, roles);
        tabs.getTabs().forEach(t -> t.setClosable(false));
        tabs.setId("policy-tabs");
        root.setCenter(tabs);
    }

    private Node header() {
        Label title = new Label("Policies");
        title.getStyleClass().add(Styles.TITLE_3);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.setMaxSize(16, 16);
        busy.visibleProperty().bind(model.loading.or(model.saving));
        busy.managedProperty().bind(busy.visibleProperty());
        readOnly.setId("policy-readonly");
        readOnly.getStyleClass().addAll("notice", "notice-warning");
        readOnly.setGraphic(new FontIcon(Feather.LOCK));
        readOnly.textProperty().bind(Bindings.createStringBinding(() -> editReason.get().isEmpty() ? ""
                : "Read-only: " + editReason.get(), editReason));
        readOnly.visibleProperty().bind(editReason.isNotEmpty());
        readOnly.managedProperty().bind(readOnly.visibleProperty());
        saveError.setId("policy-save-error");
        saveError.getStyleClass().add(Styles.DANGER);
        saveError.setWrapText(true);
        saveError.textProperty().bind(model.saveError);
        savedNote.setId("policy-saved-note");
        savedNote.getStyleClass().add(Styles.TEXT_SUBTLE);
        savedNote.textProperty().bind(model.savedNote);
        saveButton.setId("policy-save");
        saveButton.getStyleClass().add(Styles.ACCENT);
        saveButton.setTooltip(new Tooltip("Save every change (each changed profile is a policy.updated event)"));
        revertButton.setId("policy-revert");
        revertButton.setTooltip(new Tooltip("Throw away the edits and show the stored policies"));
        refreshButton.setId("policy-refresh");
        refreshButton.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refreshButton.setTooltip(new Tooltip("Reload (F5)"));
        refreshButton.setAccessibleText("Reload the policies");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox top = new HBox(10, title, busy, readOnly, spacer, savedNote, refreshButton, revertButton,
                RoleGate.wrap(saveButton, editReason));
        top.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(6, top, wait.view(), saveError);
        saveError.managedProperty().bind(model.saveError.isNotEmpty());
        box.setPadding(new Insets(14, 16, 8, 16));
        return box;
    }

    private static ScrollPane scroll(Node content) {
        ScrollPane s = new ScrollPane(content);
        s.setFitToWidth(true);
        FocusScrolling.follow(s);
        return s;
    }

    private Node matrix() {
        GridPane grid = new GridPane();
        grid.setId("policy-matrix");
        grid.setHgap(16);
        grid.setVgap(10);
        grid.setPadding(new Insets(12, 16, 16, 16));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(175);
        grid.getColumnConstraints().add(labels);
        String[] rows = {"", "Allowed commands", "Network mode", "Egress allowlist", "Max TTL (s)", "Max exec timeout (s)",
                "Output cap (bytes)", "Input recording", "Max processes", "Memory (MiB)", "Workspace disk (MiB)", "/tmp (MiB)",
                "CPU (% of a core)", "Recording cap (MiB)", "Max upload (MiB)", "Recordings readable by", "Workspace files"};
        for (int r = 1; r < rows.length; r++) {
            Label l = new Label(rows[r]);
            l.getStyleClass().add(Styles.TEXT_BOLD);
            l.setMinWidth(Region.USE_PREF_SIZE);
            GridPane.setValignment(l, VPos.TOP);
            grid.add(l, 0, r);
        }
        int col = 1;
        for (ToolProfile p : ToolProfile.values()) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setHgrow(Priority.ALWAYS);
            cc.setPercentWidth(-1);
            cc.setMinWidth(200);
            grid.getColumnConstraints().add(cc);
            PolicyModel.ProfileDraft d = model.drafts.get(p);
            String id = "policy-" + p.wireName().replace('_', '-');
            Label name = new Label(p.wireName());
            name.getStyleClass().add(Styles.TITLE_4);
            Label description = new Label(p.description());
            description.getStyleClass().add(Styles.TEXT_MUTED);
            description.setWrapText(true);
            grid.add(new VBox(2, name, description), col, 0);

            TextArea commands = new TextArea();
            commands.setId(id + "-commands");
            commands.setPrefRowCount(6);
            commands.setPromptText("one program name per line; * allows every command");
            commands.textProperty().bindBidirectional(d.commands);
            Label commandsNote = note(id + "-commands-note", Bindings.createStringBinding(() -> {
                List<String> lines = PolicyModel.ProfileDraft.lines(d.commands.get());
                return lines.contains(ProfilePolicy.ANY_COMMAND) ? "every command"
                        : lines.isEmpty() ? "no command at all" : lines.size() + " commands, one per line";
            }, d.commands));
            markInvalid(commands, d.commandsProblem);
            grid.add(cell(commands, commandsNote, problem(id + "-commands-problem", d.commandsProblem)), col, 1);

            ComboBox<NetworkMode> network = new ComboBox<>();
            network.setId(id + "-network");
            network.getItems().setAll(NetworkMode.values());
            network.valueProperty().bindBidirectional(d.network);
            network.setTooltip(new Tooltip("none: loopback only · allowlist: only the egress allowlist · full: the host's network"));
            grid.add(network, col, 2);

            TextArea egress = new TextArea();
            egress.setId(id + "-egress");
            egress.setPrefRowCount(3);
            egress.setPromptText("one per line: example.com, *.example.com, 10.0.0.0/8, api.example.com:443");
            egress.textProperty().bindBidirectional(d.egress);
            Label egressNote = note(id + "-egress-note", Bindings.createStringBinding(() -> {
                List<String> lines = PolicyModel.ProfileDraft.lines(d.egress.get());
                return switch (d.network.get()) {
                    case NONE -> "not used: network none (no egress at all)";
                    case FULL -> "not used: network full (every host is reachable)";
                    // an entry that is not valid allows nothing: the problem line below names it
                    case ALLOWLIST -> !d.egressProblem.get().isEmpty() ? "fix the entry marked below before saving"
                            : lines.isEmpty() ? "no egress — the list is empty, nothing is allowed"
                            : lines.size() + (lines.size() == 1 ? " entry allowed" : " entries allowed") + "; everything else is blocked";
                };
            }, d.egress, d.network, d.egressProblem));
            markInvalid(egress, d.egressProblem);
            grid.add(cell(egress, egressNote, problem(id + "-egress-problem", d.egressProblem)), col, 3);

            grid.add(numberCell(id + "-max-ttl", d.maxTtl, d.ttlProblem), col, 4);
            grid.add(numberCell(id + "-max-exec", d.maxExec, d.execProblem), col, 5);
            grid.add(numberCell(id + "-output-cap", d.outputCap, d.capProblem), col, 6);

            CheckBox record = new CheckBox("record terminal input");
            record.setId(id + "-record-input");
            record.selectedProperty().bindBidirectional(d.recordInput);
            record.setTooltip(new Tooltip("Also record what is typed into terminals (output is always recorded)"));
            grid.add(record, col, 7);
            int row = 8;
            for (PolicyModel.NumberDraft n : d.numbers()) {
                grid.add(numberCell(id + "-" + n.range.field().replace('_', '-'), n.text, n.problem), col, row++);
            }
            ComboBox<Role> readers = new ComboBox<>();
            readers.setId(id + "-recording-readers");
            readers.getItems().setAll(ProfilePolicy.RECORDING_READER_LEVELS);
            readers.valueProperty().bindBidirectional(d.recordingReaders);
            readers.setTooltip(new Tooltip("The lowest role that may open or download this profile's terminal recordings"
                    + " (the roles above it may too, and auditors always may)"));
            grid.add(readers, col, row++);
            CheckBox download = new CheckBox("viewers may download");
            download.setId(id + "-viewers-download");
            download.selectedProperty().bindBidirectional(d.viewersDownload);
            download.setTooltip(new Tooltip("Whether viewers and auditors may download this profile's workspace files"
                    + " (they may always list them; operators and admins may also upload and change them)"));
            grid.add(download, col, row);
            editors.addAll(List.of(commands, network, egress, record, readers, download));
            col++;
        }
        // the matrix's controls have no label of their own: screen readers hear the row and the profile
        for (Node cell : grid.getChildren()) {
            Integer c = GridPane.getColumnIndex(cell);
            Integer r = GridPane.getRowIndex(cell);
            if (c == null || r == null || c == 0 || r == 0) {
                continue;
            }
            Node control = cell instanceof VBox box && !box.getChildren().isEmpty() ? box.getChildren().get(0) : cell;
            control.setAccessibleText(rows[r] + ", " + ToolProfile.values()[c - 1].wireName());
        }
        return grid;
    }

    private Node numberCell(String id, StringProperty value, ObservableStringValue problem) {
        TextField field = new TextField();
        field.setId(id);
        field.setPrefColumnCount(9);
        field.textProperty().bindBidirectional(value);
        markInvalid(field, problem);
        editors.add(field);
        return cell(field, problem(id + "-problem", problem));
    }

    private static VBox cell(Node... nodes) {
        VBox box = new VBox(3, nodes);
        box.setFillWidth(true);
        return box;
    }

    /** A note under a field: two lines are kept for it, so the matrix does not move as it changes while typing. */
    private static Label note(String id, ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, "reserved-two-lines");
        l.setWrapText(true);
        l.setTextOverrun(OverrunStyle.ELLIPSIS);
        l.textProperty().bind(text);
        return l;
    }

    /**
     * What is wrong with a field, on one line kept for it whether or not there is a problem (the matrix does not
     * move while typing); the whole text is in its tooltip and in the field's accessible help.
     */
    private static Label problem(String id, ObservableStringValue text) {
        Label l = new Label();
        l.setId(id);
        l.getStyleClass().addAll(Styles.DANGER, "field-problem", "reserved-one-line");
        l.setWrapText(false);
        l.setTextOverrun(OverrunStyle.ELLIPSIS);
        l.setMinWidth(0);
        l.setGraphic(new FontIcon(Feather.ALERT_CIRCLE));
        l.textProperty().bind(text);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(text);
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        l.setTooltip(tip);
        l.visibleProperty().bind(Bindings.isNotEmpty(text));
        return l;
    }

    /** The AtlantaFX danger state (a red border) on a field while it has a problem, which screen readers also hear. */
    private static void markInvalid(Control field, ObservableStringValue problem) {
        Runnable update = () -> {
            boolean invalid = !problem.get().isEmpty();
            field.pseudoClassStateChanged(Styles.STATE_DANGER, invalid);
            field.setAccessibleHelp(invalid ? problem.get() : null);
        };
        problem.addListener((o, was, now) -> update.run());
        update.run();
    }

    private Node rolesPane() {
        membersTable.setId("policy-members");
        membersTable.setItems(model.members);
        membersTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        membersTable.setPrefHeight(200);
        membersTable.getColumns().setAll(List.of(
                column("Name", 200, Member::name),
                column("Role", 110, m -> m.role().wireName()),
                column("Kind", 120, Member::kind),
                column("Fingerprint", 260, m -> m.fingerprint().orElse("—"))));
        membersTable.setPlaceholder(new Label("Nobody to show"));
        Label membersTitle = new Label("Who has which role");
        membersTitle.getStyleClass().add(Styles.TITLE_4);
        Label membersNote = new Label("Admins see every member; other roles see themselves.");
        membersNote.getStyleClass().add(Styles.TEXT_MUTED);
        Label rolesTitle = new Label("What each role may do");
        rolesTitle.getStyleClass().add(Styles.TITLE_4);
        rolesBox.setId("policy-roles");
        model.role.addListener((o, was, now) -> renderRoles());
        renderRoles();
        VBox box = new VBox(10, membersTitle, membersNote, membersTable, rolesTitle, rolesBox);
        box.setPadding(new Insets(12, 16, 16, 16));
        return scroll(box);
    }

    private void renderRoles() {
        rolesBox.getChildren().clear();
        for (Role role : Role.values()) {
            Label name = new Label(role.wireName() + (role == model.role.get() ? "  (your role)" : ""));
            name.setId("policy-role-" + role.wireName());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            VBox perms = new VBox(2);
            for (Role.Permission p : Role.Permission.values()) {
                boolean may = role.may(p);
                Label l = new Label(p.description(), new FontIcon(may ? Feather.CHECK : Feather.MINUS));
                l.setId("policy-role-" + role.wireName() + "-" + p.name().toLowerCase(Locale.ROOT));
                l.getStyleClass().add(may ? Styles.SUCCESS : Styles.TEXT_MUTED);
                perms.getChildren().add(l);
            }
            rolesBox.getChildren().add(new VBox(3, name, perms));
        }
    }

    private static TableColumn<Member, String> column(String name, double width, Function<Member, String> text) {
        TableColumn<Member, String> c = new TableColumn<>(name);
        c.setId("member-col-" + name.toLowerCase(Locale.ROOT));
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(text.apply(f.getValue())));
        return c;
    }

    /** Editing follows the role: text stays readable (and copyable) but not editable; the rest is disabled. */
    void setEditable(boolean editable) {
        for (Control c : editors) {
            if (c instanceof TextInputControl t) {
                t.setEditable(editable);
                t.setTooltip(editable ? null : new Tooltip(readOnly.getText()));
            } else {
                c.setDisable(!editable);
            }
        }
    }
}
