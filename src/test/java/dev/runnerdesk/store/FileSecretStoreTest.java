package dev.runnerdesk.store;

import dev.runnerdesk.core.RunnerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The opt-in key file: only its owner may read it, a looser one is refused, and a write replaces it whole. */
class FileSecretStoreTest {
    @TempDir
    Path dir;

    private Path dataDir() throws IOException {
        return PrivateFiles.createDirectories(dir.resolve("data"));
    }

    @Test
    void keysGoInAndComeBackAcrossOpens() throws IOException {
        Path file = dataDir().resolve(FileSecretStore.FILE_NAME);
        FileSecretStore store = FileSecretStore.open(file).store().orElseThrow();
        store.put("gateway-api-key:g1", "cm_sk_0123456789abcdef");
        store.put("provider-key:e2b", "e2b_key=with=equals and spaces");
        FileSecretStore again = FileSecretStore.open(file).store().orElseThrow();
        assertEquals(Optional.of("cm_sk_0123456789abcdef"), again.get("gateway-api-key:g1"));
        assertEquals(Optional.of("e2b_key=with=equals and spaces"), again.get("provider-key:e2b"));
        again.delete("gateway-api-key:g1");
        assertEquals(Map.of("provider-key:e2b", "e2b_key=with=equals and spaces"), FileSecretStore.open(file).store()
                .orElseThrow().all());
        assertTrue(again.persistent());
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void theFileIsMadeForItsOwnerOnlyInAFolderForItsOwnerOnly() throws IOException {
        Path file = dir.resolve("fresh").resolve(FileSecretStore.FILE_NAME);
        FileSecretStore.open(file).store().orElseThrow().put("k", "v");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void aFileOthersCanReadIsRefusedAndSaysHowToFixIt() throws IOException {
        Path file = dataDir().resolve(FileSecretStore.FILE_NAME);
        FileSecretStore store = FileSecretStore.open(file).store().orElseThrow();
        store.put("k", "secret-value-1234");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        FileSecretStore.Opened opened = FileSecretStore.open(file);
        assertTrue(opened.store().isEmpty());
        assertTrue(opened.reason().contains("too open") && opened.reason().contains("chmod 600 " + file), opened.reason());
        assertFalse(opened.reason().contains("secret-value"), "never the file's contents");
        RunnerException e = assertThrows(RunnerException.Unavailable.class, () -> store.get("k"),
                "a store opened before the file was loosened stops reading it too");
        assertTrue(e.getMessage().contains("too open"), e.getMessage());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "the person's file is not changed behind their back");
    }

    @Test
    void aFolderOthersCanOpenIsRefused() throws IOException {
        Path folder = dataDir();
        Path file = folder.resolve(FileSecretStore.FILE_NAME);
        FileSecretStore.open(file).store().orElseThrow();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileSecretStore.Opened opened = FileSecretStore.open(file);
        assertTrue(opened.store().isEmpty());
        assertTrue(opened.reason().contains("chmod 700 " + folder), opened.reason());
    }

    @Test
    void aLinkIsRefused() throws IOException {
        Path folder = dataDir();
        Path elsewhere = folder.resolve("elsewhere");
        Files.writeString(elsewhere, "");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        Path file = folder.resolve(FileSecretStore.FILE_NAME);
        Files.createSymbolicLink(file, elsewhere);
        FileSecretStore.Opened opened = FileSecretStore.open(file);
        assertTrue(opened.store().isEmpty());
        assertTrue(opened.reason().contains("not a plain file"), opened.reason());
    }
}
