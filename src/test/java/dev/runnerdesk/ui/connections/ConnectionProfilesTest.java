package dev.runnerdesk.ui.connections;

import dev.runnerdesk.core.ConnectionProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Saved connection profiles: round trip, never a key, damage tolerated. */
class ConnectionProfilesTest {
    @Test
    void gatewayProfilesSurviveARoundTripAndThisComputerIsAlwaysFirst() {
        ConnectionProfile team = ConnectionProfile.gateway("gw_1", "Team", "https://gw.example.com", false);
        ConnectionProfile lab = ConnectionProfile.gateway("gw_2", "Lab", "http://10.0.0.2:8002", true);
        String json = ConnectionProfiles.encode(List.of(ConnectionProfile.thisComputer(), team, lab));
        assertEquals(List.of(ConnectionProfile.thisComputer(), team, lab), ConnectionProfiles.decode(json));
        assertFalse(json.contains("local"), "the embedded profile is implied, not saved");
        assertFalse(json.toLowerCase().contains("key"), "no key field at all");
    }

    @Test
    void damagedSettingsGiveThisComputerAndTheReadableProfiles() {
        assertEquals(List.of(ConnectionProfile.thisComputer()), ConnectionProfiles.decode("not json"));
        assertEquals(List.of(ConnectionProfile.thisComputer()), ConnectionProfiles.decode(null));
        List<ConnectionProfile> read = ConnectionProfiles.decode(
                "{\"profiles\":[{\"id\":\"gw_1\",\"name\":\"No URL\"},{\"id\":\"gw_2\",\"name\":\"Ok\",\"base_url\":\"https://x\"}]}");
        assertEquals(2, read.size());
        assertEquals("Ok", read.get(1).name());
    }
}
