package dev.runnerdesk.ui.policy;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.LimitRange;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.PolicyEditorChecks;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import javafx.beans.Observable;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The policies as loaded, and the admin's edits of them (kept when saving fails): one draft per tool profile,
 * the PII actions, the PII test box, the members and the caller's role.
 */
public final class PolicyModel {
    final PolicyEditorChecks tools;
    final ObjectProperty<Policies> loadedPolicies = new SimpleObjectProperty<>();
    final Map<ToolProfile, ProfileDraft> drafts = new EnumMap<>(ToolProfile.class);
    final Map<PiiDetector, ObjectProperty<PiiAction>> pii = new EnumMap<>(PiiDetector.class);
    final StringProperty piiSample = new SimpleStringProperty(
            "Contact jane.doe@example.com or +1 (555) 123-4567; card 4111 1111 1111 1111; key ghp_"
                    + "abcdefghijklmnopqrstuvwxyz0123456789");
    final StringProperty piiPreview = new SimpleStringProperty("");
    final ObjectProperty<Role> role = new SimpleObjectProperty<>();
    final ObservableList<Member> members = FXCollections.observableArrayList();
    final BooleanProperty loading = new SimpleBooleanProperty();
    final BooleanProperty saving = new SimpleBooleanProperty();
    final StringProperty saveError = new SimpleStringProperty("");
    final StringProperty savedNote = new SimpleStringProperty("");
    /** Why this backend's policies cannot be read or edited here at all (a gateway without the route); empty when they can. */
    final StringProperty unavailable = new SimpleStringProperty("");
    final BooleanBinding dirty;
    final BooleanBinding valid;

    /** Why the policies cannot be edited: the backend's reason first ({@link #unavailable}), else the role's. */
    StringBinding editReason(StringBinding roleReason) {
        return Bindings.createStringBinding(() -> unavailable.get().isEmpty() ? roleReason.get() : unavailable.get(),
                unavailable, roleReason);
    }

    public PolicyModel(PolicyEditorChecks tools) {
        this.tools = tools;
        List<Observable> deps = new ArrayList<>();
        List<Observable> problems = new ArrayList<>();
        deps.add(loadedPolicies);
        for (ToolProfile p : ToolProfile.values()) {
            ProfileDraft d = new ProfileDraft(p, tools);
            drafts.put(p, d);
            deps.addAll(d.observables());
            problems.addAll(d.problems());
        }
        for (PiiDetector detector : PiiDetector.values()) {
            ObjectProperty<PiiAction> action = new SimpleObjectProperty<>(PiiAction.REDACT);
            pii.put(detector, action);
            deps.add(action);
            action.addListener((o, was, now) -> updatePreview());
        }
        piiSample.addListener((o, was, now) -> updatePreview());
        dirty = Bindings.createBooleanBinding(() -> loadedPolicies.get() != null && !edited().equals(loadedPolicies.get()),
                deps.toArray(Observable[]::new));
        valid = Bindings.createBooleanBinding(() -> drafts.values().stream().allMatch(ProfileDraft::isValid),
                problems.toArray(Observable[]::new));
        updatePreview();
    }

    /** Takes freshly loaded policies: the drafts show them. */
    void load(Policies policies) {
        drafts.forEach((p, d) -> d.load(policies.profile(p)));
        pii.forEach((detector, action) -> action.set(policies.pii().action(detector)));
        loadedPolicies.set(policies);
    }

    /** The edited PII settings, saved or not (the test box uses them). */
    PiiSettings editedPii() {
        Map<PiiDetector, PiiAction> actions = new EnumMap<>(PiiDetector.class);
        pii.forEach((d, a) -> actions.put(d, a.get()));
        return new PiiSettings(actions);
    }

    /** The policies as edited; only meaningful while {@link #valid}. */
    Policies edited() {
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(ToolProfile.class);
        drafts.forEach((p, d) -> profiles.put(p, d.toPolicy(loadedPolicies.get() == null ? null : loadedPolicies.get().profile(p))));
        return new Policies(profiles, editedPii());
    }

    void updatePreview() {
        String sample = piiSample.get() == null ? "" : piiSample.get();
        piiPreview.set(sample.isEmpty() ? "" : tools.previewPii(editedPii(), sample));
    }

    boolean mayEdit() {
        return role.get() == null || role.get().may(Role.Permission.ADMINISTER);
    }

    /** A whole-number field checked against its range as it is typed. */
    static final class NumberDraft {
        final LimitRange range;
        final StringProperty text = new SimpleStringProperty("");
        final StringProperty problem = new SimpleStringProperty("");

        NumberDraft(LimitRange range) {
            this.range = range;
            text.addListener((o, was, now) -> problem.set(ProfileDraft.checkNumber(now, range)));
        }

        void set(int value) {
            text.set(Integer.toString(value));
        }

        /** The typed value; 0 (refused by the range) while it is not a number, so the draft stays invalid. */
        int value() {
            return ProfileDraft.parse(text.get()).orElse(0);
        }
    }

    /** One profile's column of the matrix, as text the admin edits, with a problem per field. */
    static final class ProfileDraft {
        final ToolProfile profile;
        final StringProperty commands = new SimpleStringProperty("");
        final ObjectProperty<NetworkMode> network = new SimpleObjectProperty<>(NetworkMode.NONE);
        final StringProperty egress = new SimpleStringProperty("");
        final StringProperty maxTtl = new SimpleStringProperty("");
        final StringProperty maxExec = new SimpleStringProperty("");
        final StringProperty outputCap = new SimpleStringProperty("");
        final BooleanProperty recordInput = new SimpleBooleanProperty();
        final NumberDraft processes = new NumberDraft(ResourceLimits.PROCESSES);
        final NumberDraft memory = new NumberDraft(ResourceLimits.MEMORY);
        final NumberDraft disk = new NumberDraft(ResourceLimits.DISK);
        final NumberDraft tmp = new NumberDraft(ResourceLimits.TMP);
        final NumberDraft cpu = new NumberDraft(ResourceLimits.CPU);
        final NumberDraft recordingCap = new NumberDraft(ProfilePolicy.RECORDING_CAP);
        final ObjectProperty<Role> recordingReaders = new SimpleObjectProperty<>(ProfilePolicy.DEFAULT_RECORDING_READERS);
        final NumberDraft maxUpload = new NumberDraft(FileAccess.MAX_UPLOAD);
        final BooleanProperty viewersDownload = new SimpleBooleanProperty(FileAccess.DEFAULT.viewersDownload());
        final StringProperty commandsProblem = new SimpleStringProperty("");
        final StringProperty egressProblem = new SimpleStringProperty("");
        final StringProperty ttlProblem = new SimpleStringProperty("");
        final StringProperty execProblem = new SimpleStringProperty("");
        final StringProperty capProblem = new SimpleStringProperty("");
        private final PolicyEditorChecks tools;

        ProfileDraft(ToolProfile profile, PolicyEditorChecks tools) {
            this.profile = profile;
            this.tools = tools;
            commands.addListener((o, was, now) -> commandsProblem.set(checkCommands(now)));
            egress.addListener((o, was, now) -> egressProblem.set(checkEgress(now)));
            maxTtl.addListener((o, was, now) -> ttlProblem.set(checkNumber(now, ProfilePolicy.MAX_TTL)));
            maxExec.addListener((o, was, now) -> execProblem.set(checkNumber(now, ProfilePolicy.MAX_EXEC_TIMEOUT)));
            outputCap.addListener((o, was, now) -> capProblem.set(checkNumber(now, ProfilePolicy.OUTPUT_CAP)));
        }

        List<NumberDraft> numbers() {
            return List.of(processes, memory, disk, tmp, cpu, recordingCap, maxUpload);
        }

        List<Observable> observables() {
            List<Observable> all = new ArrayList<>(List.of(commands, network, egress, maxTtl, maxExec, outputCap, recordInput,
                    recordingReaders, viewersDownload));
            numbers().forEach(n -> all.add(n.text));
            return all;
        }

        List<Observable> problems() {
            List<Observable> all = new ArrayList<>(List.of(commandsProblem, egressProblem, ttlProblem, execProblem, capProblem));
            numbers().forEach(n -> all.add(n.problem));
            return all;
        }

        boolean isValid() {
            return commandsProblem.get().isEmpty() && egressProblem.get().isEmpty() && ttlProblem.get().isEmpty()
                    && execProblem.get().isEmpty() && capProblem.get().isEmpty()
                    && numbers().stream().allMatch(n -> n.problem.get().isEmpty());
        }

        void load(ProfilePolicy p) {
            commands.set(String.join("\n", p.allowedCommands()));
            network.set(p.networkMode());
            egress.set(String.join("\n", p.egressAllowlist()));
            maxTtl.set(Integer.toString(p.maxTtlSeconds()));
            maxExec.set(Integer.toString(p.maxExecTimeoutSeconds()));
            outputCap.set(Integer.toString(p.outputCapBytes()));
            recordInput.set(p.recordInput());
            ResourceLimits l = p.limits();
            processes.set(l.maxProcesses());
            memory.set(l.memoryMib());
            disk.set(l.diskMib());
            tmp.set(l.tmpMib());
            cpu.set(l.cpuPercent());
            recordingCap.set(p.recordingCapMib());
            recordingReaders.set(p.recordingReaders());
            maxUpload.set(p.files().maxUploadMib());
            viewersDownload.set(p.files().viewersDownload());
        }

        ProfilePolicy toPolicy(ProfilePolicy fallback) {
            return new ProfilePolicy(profile, lines(commands.get()), network.get(), lines(egress.get()),
                    parse(maxTtl.get()).orElse(fallback == null ? 0 : fallback.maxTtlSeconds()),
                    parse(maxExec.get()).orElse(fallback == null ? 0 : fallback.maxExecTimeoutSeconds()),
                    parse(outputCap.get()).orElse(fallback == null ? 0 : fallback.outputCapBytes()), recordInput.get(),
                    new ResourceLimits(processes.value(), memory.value(), disk.value(), tmp.value(), cpu.value()),
                    recordingCap.value(), recordingReaders.get(), new FileAccess(viewersDownload.get(), maxUpload.value()));
        }

        static List<String> lines(String text) {
            return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        static OptionalInt parse(String text) {
            try {
                return OptionalInt.of(Integer.parseInt(text.trim().replace("_", "").replace(",", "")));
            } catch (RuntimeException e) {
                return OptionalInt.empty();
            }
        }

        static String checkNumber(String text, LimitRange range) {
            OptionalInt n = parse(text == null ? "" : text);
            return n.isEmpty() ? "a whole number of " + range.unit() : range.problem(n.getAsInt()).orElse("");
        }

        static String checkCommands(String text) {
            for (String c : lines(text)) {
                if (!c.equals(ProfilePolicy.ANY_COMMAND) && !c.matches("[A-Za-z0-9._+-]{1,128}")) {
                    return "“" + c + "” is not a program name (letters, digits, . _ + -)";
                }
            }
            return "";
        }

        String checkEgress(String text) {
            List<String> entries = lines(text);
            for (int i = 0; i < entries.size(); i++) {
                var problem = tools.egressEntryProblem(entries.get(i));
                if (problem.isPresent()) {
                    return "“" + entries.get(i) + "”: " + problem.get();
                }
            }
            return "";
        }
    }
}
