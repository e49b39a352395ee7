package dev.runnerdesk.ui.palette;

import org.kordamp.ikonli.feather.Feather;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One line of the command palette: a view to go to, an action, or a runner.
 *
 * @param kind     what it is (shown beside it, and the order of equal matches)
 * @param title    what it says, e.g. "New runner"
 * @param detail   a second, quieter text, e.g. a runner's state and provider
 * @param icon     its icon
 * @param shortcut the key that does the same outside the palette, if any (e.g. "Ctrl+N")
 * @param fields   what the search matches, beside the title (a runner's id, provider, profile, state)
 * @param whyNot   empty when it can be run now; otherwise why not (the same rule as its button)
 * @param run      runs it (the palette is closed first); null for an item that only steps into {@code next}
 * @param next     for a runner: its own actions, shown when the person steps into it (→ or Tab)
 */
public record PaletteItem(Kind kind, String title, String detail, Feather icon, Optional<String> shortcut,
                          List<String> fields, String whyNot, Runnable run, List<PaletteItem> next) {
    /** In the order equal matches are listed. */
    public enum Kind {
        ACTION("Action"), VIEW("View"), RUNNER("Runner"), CONNECTION("Connection");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    public PaletteItem {
        fields = List.copyOf(fields);
        next = List.copyOf(next);
    }

    public static PaletteItem of(Kind kind, String title, String detail, Feather icon, String shortcut, String whyNot,
                                 Runnable run) {
        return new PaletteItem(kind, title, detail, icon, Optional.ofNullable(shortcut), List.of(), whyNot, run, List.of());
    }

    public boolean enabled() {
        return whyNot.isEmpty();
    }

    /** The texts the search matches: the title first, then the fields. */
    List<String> searchable() {
        return Stream.concat(Stream.of(title), fields.stream()).toList();
    }
}
