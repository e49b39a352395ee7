package dev.runnerdesk.cli;

import dev.runnerdesk.core.KeyStorage;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.store.FileSecretStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The secret store the app and CLI use: a key saved is there on the next read, keychain or not, and where chosen, after a restart. */
class KeychainTest {
    @TempDir
    Path dataDir;

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

    @Test
    void theFileOptInOutlastsARestartAndTakesTheKeysAlong() {
        try (Keychain first = new Keychain(dataDir, Map.of())) {
            assertFalse(first.state().where() == KeyStorage.Where.FILE, "never a file unless chosen");
            first.secrets.put("provider-key:test", "e2b_0123456789");
            KeyStorage.State chosen = first.useFile(true, List.of("provider-key:test", "never-saved"));
            assertEquals(KeyStorage.Where.FILE, chosen.where());
            assertEquals(dataDir.resolve(FileSecretStore.FILE_NAME).toString(), chosen.file());
            first.secrets.put("gateway-api-key:g1", "cm_sk_abcdef0123");
        }
        try (Keychain restarted = new Keychain(dataDir, Map.of())) {
            assertEquals(KeyStorage.Where.FILE, restarted.state().where());
            assertTrue(restarted.secrets.persistent());
            assertEquals(Optional.of("e2b_0123456789"), restarted.secrets.get("provider-key:test"), "moved along");
            assertEquals(Optional.of("cm_sk_abcdef0123"), restarted.secrets.get("gateway-api-key:g1"));

            KeyStorage.State back = restarted.useFile(false, List.of());
            assertFalse(Files.exists(dataDir.resolve(FileSecretStore.FILE_NAME)), "opting out deletes the file");
            assertTrue(back.where() != KeyStorage.Where.FILE);
            assertEquals(Optional.of("cm_sk_abcdef0123"), restarted.secrets.get("gateway-api-key:g1"),
                    "the keys move to the keychain or this run's memory");
        }
        try (Keychain again = new Keychain(dataDir, Map.of())) {
            assertTrue(again.state().where() != KeyStorage.Where.FILE, "the opt-out outlasts a restart too");
        }
    }

    @Test
    void aKeyFileOthersCouldReadIsNotUsedAndTheReasonIsSaid() throws Exception {
        try (Keychain first = new Keychain(dataDir, Map.of())) {
            first.useFile(true, List.of());
            first.secrets.put("k", "v-0123456789");
        }
        Files.setPosixFilePermissions(dataDir.resolve(FileSecretStore.FILE_NAME), PosixFilePermissions.fromString("rw-rw-r--"));
        try (Keychain restarted = new Keychain(dataDir, Map.of())) {
            KeyStorage.State state = restarted.state();
            assertTrue(state.where() != KeyStorage.Where.FILE);
            assertTrue(state.problem().orElse("").contains("chmod 600"), state.toString());
            assertEquals(Optional.empty(), restarted.secrets.get("k"), "the loose file's keys are not read");
        }
    }

    @Test
    void theEnvironmentFixesTheChoice() {
        try (Keychain memory = new Keychain(dataDir, Map.of(Keychain.VARIABLE, "memory"))) {
            assertEquals(KeyStorage.Where.THIS_RUN, memory.state().where());
            assertEquals(Optional.of(Keychain.VARIABLE + "=memory"), memory.state().fixedBy());
            assertThrows(RunnerException.InvalidRequest.class, () -> memory.useFile(true, List.of()));
        }
        try (Keychain file = new Keychain(dataDir, Map.of(Keychain.VARIABLE, "file"))) {
            file.secrets.put("k", "v-0123456789");
            assertEquals(KeyStorage.Where.FILE, file.state().where());
        }
        assertThrows(RunnerException.InvalidRequest.class, () -> new Keychain(dataDir, Map.of(Keychain.VARIABLE, "disk")));
    }
}
