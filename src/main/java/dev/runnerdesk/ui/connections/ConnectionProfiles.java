package dev.runnerdesk.ui.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.RunnerException;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The gateway profiles as JSON in the settings (never a key: keys live in the secret store). The UI cannot
 * reach the program's {@code wire} mapper (it talks to {@code core} only), so it reads Jackson's tree here.
 */
public final class ConnectionProfiles {
    private static final System.Logger LOG = System.getLogger(ConnectionProfiles.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConnectionProfiles() {
    }

    /** "This computer" first, then the saved gateway profiles; a damaged entry is skipped, not fatal. */
    public static List<ConnectionProfile> decode(String json) {
        List<ConnectionProfile> profiles = new ArrayList<>();
        profiles.add(ConnectionProfile.thisComputer());
        if (json == null || json.isBlank()) {
            return profiles;
        }
        try {
            JsonNode root = MAPPER.readTree(json);
            for (JsonNode p : root.path("profiles")) {
                try {
                    String id = p.path("id").asText("");
                    String url = p.path("base_url").asText("").trim();
                    if (id.isEmpty() || id.equals(ConnectionProfile.EMBEDDED_ID) || url.isEmpty()) {
                        LOG.log(System.Logger.Level.WARNING, "skipping a saved connection profile without id or URL");
                        continue;
                    }
                    profiles.add(ConnectionProfile.gateway(id, p.path("name").asText(id), url,
                            p.path("allow_insecure").asBoolean(false)));
                } catch (RunnerException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping a saved connection profile: " + e.getMessage());
                }
            }
        } catch (JsonProcessingException e) {
            LOG.log(System.Logger.Level.WARNING, "saved connection profiles are not JSON; starting with none");
        }
        return profiles;
    }

    /** The gateway profiles as JSON; the embedded one is implied and never written. */
    public static String encode(List<ConnectionProfile> profiles) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode list = root.putArray("profiles");
        for (ConnectionProfile p : profiles) {
            if (p.kind() != ConnectionProfile.Kind.GATEWAY) {
                continue;
            }
            ObjectNode node = list.addObject();
            node.put("id", p.id());
            node.put("name", p.name());
            node.put("base_url", p.baseUrl().orElse(""));
            node.put("allow_insecure", p.allowInsecure());
        }
        return root.toString();
    }

    public static String newId() {
        return "gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
