package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.SecretStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/** The connection profiles, which one is selected, the masked keys, and the result of the last test. */
public final class ConnectionsModel {
    final ObservableList<ConnectionProfile> profiles = FXCollections.observableArrayList();
    final ObjectProperty<ConnectionProfile> selected = new SimpleObjectProperty<>();
    /** Profile id → its key masked ("••••1a2b"), for gateway profiles that have one. */
    final ObservableMap<String, String> maskedKeys = FXCollections.observableHashMap();
    final StringProperty testResult = new SimpleStringProperty("");
    final BooleanProperty testFailed = new SimpleBooleanProperty();
    final BooleanProperty testing = new SimpleBooleanProperty();
    final BooleanProperty keysPersistent = new SimpleBooleanProperty(true);
    final StringProperty keysLimitation = new SimpleStringProperty("");
    /** Where keys are kept ({@link dev.runnerdesk.core.KeyStorage.State#place()}); empty until known. */
    final StringProperty keysPlace = new SimpleStringProperty("");

    public ObservableList<ConnectionProfile> profiles() {
        return profiles;
    }

    /** Shows no more of a key than its last four characters. */
    static String mask(String key) {
        return SecretStore.mask(key);
    }
}
