package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.Runner;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.List;

/** What the runner list shows: the runners, the time the TTL countdown is computed at, and a status line. */
public final class RunnerListModel {
    final ObservableList<Runner> runners = FXCollections.observableArrayList();
    final ObjectProperty<Instant> now = new SimpleObjectProperty<>(Instant.now());
    final LongProperty total = new SimpleLongProperty();
    final StringProperty status = new SimpleStringProperty("Loading…");

    /** Replaces the rows in place, so selection and scroll position survive a refresh. */
    void replace(List<Runner> fresh, long totalCount) {
        for (int i = 0; i < fresh.size(); i++) {
            if (i < runners.size()) {
                if (!runners.get(i).equals(fresh.get(i))) {
                    runners.set(i, fresh.get(i));
                }
            } else {
                runners.add(fresh.get(i));
            }
        }
        if (runners.size() > fresh.size()) {
            runners.remove(fresh.size(), runners.size());
        }
        total.set(totalCount);
    }

    public ObservableList<Runner> runners() {
        return runners;
    }
}
