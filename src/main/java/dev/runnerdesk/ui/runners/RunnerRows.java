package dev.runnerdesk.ui.runners;

import javafx.collections.ModifiableObservableListBase;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The runner table's rows. A row changes in place (its runner); {@link #updated} reports a burst of such changes
 * as one list change. (A list with an extractor reports each row on its own and finds its index by scanning the
 * list, so 1,000 live updates to 10,000 rows cost ten million steps and a thousand passes of every listener.)
 */
final class RunnerRows extends ModifiableObservableListBase<RunnerRow> {
    private final List<RunnerRow> rows = new ArrayList<>();

    /** Tells the listeners that these rows' runners changed. */
    void updated(Set<RunnerRow> changed) {
        if (changed.isEmpty()) {
            return;
        }
        beginChange();
        try {
            for (int i = 0; i < rows.size(); i++) {
                if (changed.contains(rows.get(i))) {
                    nextUpdate(i);
                }
            }
        } finally {
            endChange();
        }
    }

    @Override
    public RunnerRow get(int index) {
        return rows.get(index);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    protected void doAdd(int index, RunnerRow element) {
        rows.add(index, element);
    }

    @Override
    protected RunnerRow doSet(int index, RunnerRow element) {
        return rows.set(index, element);
    }

    @Override
    protected RunnerRow doRemove(int index) {
        return rows.remove(index);
    }
}
