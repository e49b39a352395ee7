package dev.runnerdesk.cli;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The secret store the app and CLI use: a key saved is there on the next read, keychain or not. */
class KeychainTest {
    @Test
    void aSavedKeyIsThereForTheWholeRunEvenWithoutAKeychain() {
        try (Keychain keychain = new Keychain().probeNow()) {
            keychain.secrets.put("gateway-key-test", "cm_sk_0123456789");
            assertEquals(Optional.of("cm_sk_0123456789"), keychain.secrets.get("gateway-key-test"),
                    "persistent=" + keychain.secrets.persistent() + ", " + keychain.secrets.limitation().orElse(""));
            keychain.secrets.delete("gateway-key-test");
            assertEquals(Optional.empty(), keychain.secrets.get("gateway-key-test"));
        }
    }
}
