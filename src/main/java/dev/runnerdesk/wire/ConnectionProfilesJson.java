package dev.runnerdesk.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runnerdesk.core.ConnectionProfile;
import dev.runnerdesk.core.ConnectionProfileCodec;
import dev.runnerdesk.core.RunnerException;

import java.util.ArrayList;
import java.util.List;

/** The gateway profiles as JSON in the settings: {@code {"profiles":[{id, name, base_url, allow_insecure}]}}. */
public final class ConnectionProfilesJson implements ConnectionProfileCodec {
    private static final System.Logger LOG = System.getLogger(ConnectionProfilesJson.class.getName());

    @Override
    public List<ConnectionProfile> decode(String json) {
        List<ConnectionProfile> profiles = new ArrayList<>();
        profiles.add(ConnectionProfile.thisComputer());
        if (json == null || json.isBlank()) {
            return profiles;
        }
        try {
            JsonNode root = Json.MAPPER.readTree(json);
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

    @Override
    public String encode(List<ConnectionProfile> profiles) {
        ObjectNode root = Json.MAPPER.createObjectNode();
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
}
