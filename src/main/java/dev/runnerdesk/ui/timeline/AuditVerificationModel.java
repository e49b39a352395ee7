package dev.runnerdesk.ui.timeline;

import dev.runnerdesk.core.Role;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The signed side of the timeline: what the backend says of its checkpoints, the caller's role, and Verify all — idle,
 * running with its progress, or its outcome.
 */
final class AuditVerificationModel {
    /** How the last Verify all ended, for the result line's look. */
    enum Outcome { NONE, VERIFIED, PROBLEM, CANCELLED, ERROR }

    final ObjectProperty<ChainBadge.Signing> signing = new SimpleObjectProperty<>(ChainBadge.Signing.UNKNOWN);
    /** The last Verify all that finished (null: none on this connection); the badge shows its finding. */
    final ObjectProperty<ChainBadge.FullCheck> full = new SimpleObjectProperty<>();
    /** Null until whoami answers (then treated as allowed, as everywhere). */
    final ObjectProperty<Role> role = new SimpleObjectProperty<>();
    final BooleanProperty running = new SimpleBooleanProperty();
    /** 0..1, or -1 while unknown. */
    final DoubleProperty progress = new SimpleDoubleProperty(-1);
    final StringProperty progressText = new SimpleStringProperty("");
    final ObjectProperty<Outcome> outcome = new SimpleObjectProperty<>(Outcome.NONE);
    final StringProperty resultText = new SimpleStringProperty("");
    /** The seq the problem found is at, for "Show seq N" (0: none to show). */
    final LongProperty problemSeq = new SimpleLongProperty();
    /** Events checked so far by the running verification, and of how many: for "cancelled at seq …". */
    long done;
    long total = -1;
}
