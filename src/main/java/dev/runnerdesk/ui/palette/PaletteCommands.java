package dev.runnerdesk.ui.palette;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.ui.common.Theme;
import dev.runnerdesk.ui.connections.ActiveConnection;
import dev.runnerdesk.ui.connections.ConnectionsController;
import dev.runnerdesk.ui.palette.PaletteItem.Kind;
import dev.runnerdesk.ui.runners.RunnerListController;
import dev.runnerdesk.ui.runners.RunnerRow;
import dev.runnerdesk.ui.runners.RunnerRowAction;
import javafx.scene.input.KeyCombination;
import org.kordamp.ikonli.feather.Feather;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the command palette offers, read when it opens: the views, the actions (each enabled by the same rule as its
 * button), the saved connections, and the runners of the loaded list, each with its own actions.
 */
public final class PaletteCommands {
    /** A view of the rail, as the window names it. */
    public record Destination(String title, String detail, Feather icon, String shortcut, Runnable show) {
    }

    /**
     * What the palette does through the window.
     *
     * @param views      the views of the rail
     * @param showRunner shows the Runners view with a runner selected
     * @param newRunner  shows the Runners view and opens the create dialog
     */
    public record Host(List<Destination> views, Consumer<String> showRunner, Runnable newRunner) {
    }

    private final Host host;
    private final RunnerListController runners;
    private final ConnectionsController connections;
    private final ActiveConnection connection;
    private final Theme theme;

    public PaletteCommands(Host host, RunnerListController runners, ConnectionsController connections,
                           ActiveConnection connection, Theme theme) {
        this.host = host;
        this.runners = runners;
        this.connections = connections;
        this.connection = connection;
        this.theme = theme;
    }

    /** Every item, in the order shown for an empty query. */
    public List<PaletteItem> items() {
        List<PaletteItem> items = new ArrayList<>();
        for (Destination d : host.views) {
            items.add(PaletteItem.of(Kind.VIEW, d.title(), d.detail(), d.icon(), d.shortcut(), "", d.show()));
        }
        items.add(PaletteItem.of(Kind.ACTION, "New runner…", "Create a runner", Feather.PLUS, "Ctrl+N",
                runners.whyNotCreate(), host.newRunner));
        Optional<Runner> selected = runners.selectedRunner();
        if (selected.isPresent()) {
            for (RunnerRowAction a : runners.rowActions(selected.get())) {
                items.add(action(selected.get(), a, a.text() + " — " + selected.get().runnerId()));
            }
        } else {
            items.addAll(chooseRunnerFirst());
        }
        items.add(PaletteItem.of(Kind.ACTION, "Toggle theme", theme.darkProperty().get() ? "Switch to light" : "Switch to dark",
                theme.darkProperty().get() ? Feather.SUN : Feather.MOON, "Ctrl+Shift+D", "", theme::toggle));
        for (ConnectionProfile p : profiles()) {
            boolean current = p.id().equals(connection.profile().id());
            items.add(new PaletteItem(Kind.CONNECTION, "Switch connection to " + p.name(),
                    p.baseUrl().orElse("The embedded runtime on this computer"),
                    p.kind() == ConnectionProfile.Kind.EMBEDDED ? Feather.MONITOR : Feather.GLOBE, Optional.empty(),
                    List.of(p.name(), "connection", "gateway", "profile"), current ? "already connected" : "",
                    () -> connections.switchTo(p), List.of()));
        }
        for (RunnerRow row : runners.model().rows()) {
            Runner r = row.runner();
            List<PaletteItem> own = runners.rowActions(r).stream().map(a -> action(r, a, a.text())).toList();
            items.add(new PaletteItem(Kind.RUNNER, r.runnerId(),
                    r.state().wireName() + " · " + r.providerType().wireName() + " · " + r.toolProfile().wireName(),
                    Feather.SERVER, Optional.empty(),
                    List.of(r.state().wireName(), r.providerType().wireName(), r.toolProfile().wireName()), "",
                    () -> host.showRunner.accept(r.runnerId()), own));
        }
        return items;
    }

    /** With no runner selected: "Open terminal…" and the like, which step into a choice of runner. */
    private List<PaletteItem> chooseRunnerFirst() {
        List<Runner> all = runners.model().rows().stream().map(RunnerRow::runner).toList();
        if (all.isEmpty()) {
            return List.of();
        }
        List<PaletteItem> items = new ArrayList<>();
        for (RunnerRowAction template : runners.rowActions(all.get(0))) {
            if (template.id().equals("copy-id") || template.id().equals("timeline")) {
                continue;
            }
            List<PaletteItem> choices = new ArrayList<>();
            for (Runner r : all) {
                runners.rowActions(r).stream().filter(a -> a.id().equals(template.id())).findFirst()
                        .ifPresent(a -> choices.add(action(r, a, r.runnerId())));
            }
            // the runners it can be done to first
            choices.sort(Comparator.comparing(i -> !i.enabled()));
            String title = template.text().endsWith("…") ? template.text() : template.text() + "…";
            items.add(new PaletteItem(Kind.ACTION, title, "Choose a runner", template.icon(), Optional.empty(),
                    List.of(), "", null, choices));
        }
        return items;
    }

    /** A runner's action; the ones that act in the list show the runner there first. */
    private PaletteItem action(Runner r, RunnerRowAction a, String title) {
        boolean inList = !a.id().equals("copy-id") && !a.id().equals("timeline");
        Runnable run = inList ? () -> {
            host.showRunner.accept(r.runnerId());
            a.run().run();
        } : a.run();
        return new PaletteItem(Kind.ACTION, title, r.runnerId(), a.icon(), a.shortcut().map(KeyCombination::getDisplayText),
                List.of(r.runnerId()), a.whyNot(), run, List.of());
    }

    /** This computer and the saved gateways, each once. */
    private List<ConnectionProfile> profiles() {
        Map<String, ConnectionProfile> byId = new LinkedHashMap<>();
        byId.put(ConnectionProfile.EMBEDDED_ID, ConnectionProfile.thisComputer());
        connections.model().profiles().forEach(p -> byId.putIfAbsent(p.id(), p));
        return List.copyOf(byId.values());
    }
}
