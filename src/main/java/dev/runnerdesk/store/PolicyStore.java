package dev.runnerdesk.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.runnerdesk.core.PiiSettings;
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

/** Tool-profile policies and PII actions; anything never stored yet reads as its default. */
public final class PolicyStore {
    /** The row of the PII scanner's actions, beside one row per tool profile. */
    private static final String PII = "pii";

    public Policies load(Connection c, Policies defaults) throws SQLException {
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(defaults.profiles());
        PiiSettings pii = defaults.pii();
        try (PreparedStatement s = c.prepareStatement("SELECT profile, body FROM policies"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1).equals(PII)) {
                    try {
                        pii = PolicyJson.piiFromMap(Json.readObject(rs.getString(2)));
                    } catch (JsonProcessingException e) {
                        throw new SQLException("the stored PII policy is not valid JSON", e);
                    }
                    continue;
                }
                ToolProfile profile = ToolProfile.fromWire(rs.getString(1));
                try {
                    profiles.put(profile, PolicyJson.profileFromMap(profile, Json.readObject(rs.getString(2))));
                } catch (JsonProcessingException e) {
                    throw new SQLException("the stored policy of " + profile + " is not valid JSON", e);
                }
            }
        }
        return new Policies(profiles, pii);
    }

    /** The PII actions alone (read for every event written, so one row, not every policy). */
    public PiiSettings loadPii(Connection c, PiiSettings defaults) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM policies WHERE profile = ?")) {
            s.setString(1, PII);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? PolicyJson.piiFromMap(Json.readObject(rs.getString(1))) : defaults;
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("the stored PII policy is not valid JSON", e);
        }
    }

    public void savePii(Connection c, PiiSettings pii) throws SQLException {
        upsert(c, PII, Json.write(PolicyJson.piiToMap(pii)));
    }

    public void save(Connection c, ProfilePolicy policy) throws SQLException {
        upsert(c, policy.profile().wireName(), Json.write(PolicyJson.profileToMap(policy)));
    }

    private static void upsert(Connection c, String key, String body) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO policies (profile, body) VALUES (?, ?) ON CONFLICT(profile) DO UPDATE SET body = excluded.body")) {
            s.setString(1, key);
            s.setString(2, body);
            s.executeUpdate();
        }
    }
}
