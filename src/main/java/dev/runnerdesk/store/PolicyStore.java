package dev.runnerdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.wire.Json;
import dev.runnerdesk.wire.PolicyJson;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/** Tool-profile policies; a profile never stored yet reads as its default. */
public final class PolicyStore {
    public Policies load(Connection c, Policies defaults) throws SQLException {
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(defaults.profiles());
        try (PreparedStatement s = c.prepareStatement("SELECT profile, body FROM policies"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                ToolProfile profile = ToolProfile.fromWire(rs.getString(1));
                try {
                    profiles.put(profile, PolicyJson.profileFromMap(profile, Json.readObject(rs.getString(2))));
                } catch (JsonProcessingException e) {
                    throw new SQLException("the stored policy of " + profile + " is not valid JSON", e);
                }
            }
        }
        return new Policies(profiles);
    }

    public void save(Connection c, ProfilePolicy policy) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO policies (profile, body) VALUES (?, ?) ON CONFLICT(profile) DO UPDATE SET body = excluded.body")) {
            s.setString(1, policy.profile().wireName());
            s.setString(2, Json.write(PolicyJson.profileToMap(policy)));
            s.executeUpdate();
        }
    }
}
