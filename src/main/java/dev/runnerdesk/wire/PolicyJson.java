package dev.runnerdesk.wire;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ResourceLimits;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerException.InvalidRequest;
import dev.runnerdesk.core.ToolProfile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Policies as JSON objects (snake_case), for the store, the API and the CLI. */
public final class PolicyJson {
    private PolicyJson() {
    }

    public static Map<String, Object> profileToMap(ProfilePolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", p.profile().wireName());
        m.put("allowed_commands", p.allowedCommands());
        m.put("network_mode", p.networkMode().wireName());
        m.put("egress_allowlist", p.egressAllowlist());
        m.put("max_ttl_seconds", p.maxTtlSeconds());
        m.put("max_exec_timeout_seconds", p.maxExecTimeoutSeconds());
        m.put("output_cap_bytes", p.outputCapBytes());
        m.put("record_input", p.recordInput());
        m.put("limits", limitsToMap(p.limits()));
        m.put("recording_cap_mib", p.recordingCapMib());
        m.put("recording_readers", p.recordingReaders().wireName());
        m.put("files", filesToMap(p.files()));
        return m;
    }

    static Map<String, Object> filesToMap(FileAccess f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("viewers_download", f.viewersDownload());
        m.put(FileAccess.MAX_UPLOAD.field(), f.maxUploadMib());
        return m;
    }

    /**
     * File access as sent; absent (a policy stored, or a gateway built, before it existed) it is
     * {@link FileAccess#DEFAULT}, and a field left out keeps the default's value.
     */
    static FileAccess filesFromMap(Object value, String at) {
        if (value == null) {
            return FileAccess.DEFAULT;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new InvalidRequest(at + "files", at + "files must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        String in = at + "files.";
        Object download = m.get("viewers_download");
        if (download != null && !(download instanceof Boolean)) {
            throw new InvalidRequest(in + "viewers_download", in + "viewers_download must be true or false");
        }
        return new FileAccess(download == null ? FileAccess.DEFAULT.viewersDownload() : (Boolean) download,
                optionalInteger(m, FileAccess.MAX_UPLOAD.field(), in, FileAccess.DEFAULT.maxUploadMib()));
    }

    static Map<String, Object> limitsToMap(ResourceLimits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ResourceLimits.PROCESSES.field(), l.maxProcesses());
        m.put(ResourceLimits.MEMORY.field(), l.memoryMib());
        m.put(ResourceLimits.DISK.field(), l.diskMib());
        m.put(ResourceLimits.TMP.field(), l.tmpMib());
        m.put(ResourceLimits.CPU.field(), l.cpuPercent());
        return m;
    }

    /** Limits as sent; a field left out keeps {@code base}'s value (a policy saved before limits existed gets the defaults). */
    static ResourceLimits limitsFromMap(Object value, ResourceLimits base, String at) {
        if (value == null) {
            return base;
        }
        if (!(value instanceof Map<?, ?> raw)) {
            throw new InvalidRequest(at + "limits", at + "limits must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        String in = at + "limits.";
        return new ResourceLimits(
                optionalInteger(m, ResourceLimits.PROCESSES.field(), in, base.maxProcesses()),
                optionalInteger(m, ResourceLimits.MEMORY.field(), in, base.memoryMib()),
                optionalInteger(m, ResourceLimits.DISK.field(), in, base.diskMib()),
                optionalInteger(m, ResourceLimits.TMP.field(), in, base.tmpMib()),
                optionalInteger(m, ResourceLimits.CPU.field(), in, base.cpuPercent()));
    }

    public static ProfilePolicy profileFromMap(ToolProfile profile, Map<String, Object> m) {
        String at = profile.wireName() + ".";
        return new ProfilePolicy(profile,
                strings(m, "allowed_commands", at),
                NetworkMode.fromWire(string(m, "network_mode", at)),
                strings(m, "egress_allowlist", at),
                integer(m, "max_ttl_seconds", at),
                integer(m, "max_exec_timeout_seconds", at),
                integer(m, "output_cap_bytes", at),
                Boolean.TRUE.equals(m.get("record_input")),
                limitsFromMap(m.get("limits"), ResourceLimits.DEFAULT, at),
                optionalInteger(m, "recording_cap_mib", at, ProfilePolicy.DEFAULT_RECORDING_CAP_MIB),
                m.get("recording_readers") == null ? ProfilePolicy.DEFAULT_RECORDING_READERS
                        : Role.fromWire(string(m, "recording_readers", at)),
                filesFromMap(m.get("files"), at));
    }

    public static Map<String, Object> toMap(Policies policies) {
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (ToolProfile profile : ToolProfile.values()) {
            profiles.put(profile.wireName(), profileToMap(policies.profile(profile)));
        }
        return Map.of("tool_profiles", profiles, "pii", piiToMap(policies.pii()));
    }

    public static Map<String, Object> piiToMap(PiiSettings pii) {
        Map<String, Object> m = new LinkedHashMap<>();
        pii.actions().forEach((detector, action) -> m.put(detector.wireName(), action.wireName()));
        return m;
    }

    /** PII actions by detector name; detectors left out stay on redact. */
    public static PiiSettings piiFromMap(Object value) {
        if (value == null) {
            return PiiSettings.defaults();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new InvalidRequest("pii", "pii must be an object of detector: off|redact|block");
        }
        Map<PiiDetector, PiiAction> actions = new EnumMap<>(PiiDetector.class);
        for (Map.Entry<?, ?> e : m.entrySet()) {
            actions.put(PiiDetector.fromWire(String.valueOf(e.getKey())), PiiAction.fromWire(String.valueOf(e.getValue())));
        }
        return new PiiSettings(actions);
    }

    public static Policies fromMap(Map<String, Object> m) {
        Object profiles = m.get("tool_profiles");
        if (!(profiles instanceof Map<?, ?> byName)) {
            throw new InvalidRequest("tool_profiles", "tool_profiles must be an object with one entry per profile");
        }
        Map<ToolProfile, ProfilePolicy> result = new EnumMap<>(ToolProfile.class);
        for (Map.Entry<?, ?> e : byName.entrySet()) {
            ToolProfile profile = ToolProfile.fromWire(String.valueOf(e.getKey()));
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                throw new InvalidRequest("tool_profiles." + profile, "tool_profiles." + profile + " must be an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) body;
            result.put(profile, profileFromMap(profile, fields));
        }
        return new Policies(result, piiFromMap(m.get("pii")));
    }

    private static String string(Map<String, Object> m, String key, String at) {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new InvalidRequest(at + key, at + key + " must be a string");
    }

    private static int integer(Map<String, Object> m, String key, String at) {
        Object v = m.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        throw new InvalidRequest(at + key, at + key + " must be a whole number");
    }

    private static int optionalInteger(Map<String, Object> m, String key, String at, int absent) {
        return m.get(key) == null ? absent : integer(m, key, at);
    }

    private static List<String> strings(Map<String, Object> m, String key, String at) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new InvalidRequest(at + key, at + key + " must be a list of strings");
                }
                out.add(s);
            }
            return out;
        }
        throw new InvalidRequest(at + key, at + key + " must be a list of strings");
    }
}
