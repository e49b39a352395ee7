package dev.runnerdesk.ui.runners;

import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ToolProfile;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Optional;
import java.util.OptionalInt;

/** The create-runner form: its input (kept across failures), validation as you type, and progress. */
public final class CreateRunnerModel {
    final ObservableList<ProviderInfo> providers = FXCollections.observableArrayList();
    final ObjectProperty<ProviderInfo> provider = new SimpleObjectProperty<>();
    final ObjectProperty<ToolProfile> profile = new SimpleObjectProperty<>(ToolProfile.LOCKED);
    final StringProperty ttl = new SimpleStringProperty(String.valueOf(CreateRunnerRequest.DEFAULT_TTL_SECONDS));
    final StringProperty imageRef = new SimpleStringProperty("");
    final BooleanProperty providersLoading = new SimpleBooleanProperty(true);
    final BooleanProperty busy = new SimpleBooleanProperty();
    final StringProperty error = new SimpleStringProperty("");
    final StringBinding ttlProblem = Bindings.createStringBinding(() -> ttlProblem(ttl.get()), ttl);
    final StringBinding ttlHint = Bindings.createStringBinding(() -> parseTtl(ttl.get()).stream()
            .mapToObj(CreateRunnerModel::human).findFirst().orElse(""), ttl);
    final BooleanBinding valid = Bindings.createBooleanBinding(() -> ttlProblem.get().isEmpty()
            && provider.get() != null && provider.get().available() && profile.get() != null, ttlProblem, provider, profile);

    static String ttlProblem(String text) {
        if (text == null || text.isBlank()) {
            return "Enter a TTL in seconds (" + CreateRunnerRequest.TTL.span() + ")";
        }
        OptionalInt value = parseTtl(text);
        if (value.isEmpty()) {
            return "The TTL is a whole number of seconds";
        }
        return CreateRunnerRequest.TTL.problem(value.getAsInt()).map(p -> "The TTL must be " + p).orElse("");
    }

    static OptionalInt parseTtl(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text == null ? "" : text.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    static String human(int seconds) {
        if (seconds <= 0) {
            return "";
        }
        int h = seconds / 3600;
        int m = (seconds % 3600) / 60;
        int s = seconds % 60;
        StringBuilder b = new StringBuilder("= ");
        if (h > 0) {
            b.append(h).append(" h ");
        }
        if (m > 0 || h > 0) {
            b.append(m).append(" min ");
        }
        if (s > 0) {
            b.append(s).append(" s");
        }
        return b.toString().trim();
    }

    /** The request the form describes; only called when {@link #valid} holds. */
    CreateRunnerRequest request() {
        String image = imageRef.get() == null ? "" : imageRef.get().trim();
        return new CreateRunnerRequest(provider.get().type(), profile.get(), parseTtl(ttl.get()).orElseThrow(),
                image.isEmpty() ? Optional.empty() : Optional.of(image));
    }
}
