package dev.runnerdesk.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataDirectoryTest {
    private final Path home = Path.of("/home/ada");

    @Test
    void linuxUsesXdgDataHomeOrTheLocalShareDefault() {
        assertEquals(Path.of("/data/runnerdesk"), DataDirectory.resolve(Map.of("XDG_DATA_HOME", "/data"), "Linux", home));
        assertEquals(Path.of("/home/ada/.local/share/runnerdesk"), DataDirectory.resolve(Map.of(), "Linux", home));
        assertEquals(Path.of("/home/ada/.local/share/runnerdesk"),
                DataDirectory.resolve(Map.of("XDG_DATA_HOME", "relative"), "Linux", home), "a relative XDG path is ignored");
    }

    @Test
    void macAndWindowsUseTheirApplicationDataFolders() {
        assertEquals(Path.of("/home/ada/Library/Application Support/RunnerDesk"), DataDirectory.resolve(Map.of(), "Mac OS X", home));
        assertEquals(Path.of("/roaming/RunnerDesk"), DataDirectory.resolve(Map.of("APPDATA", "/roaming"), "Windows 11", home));
    }

    @Test
    void runnerdeskHomeOverridesEverything() {
        assertEquals(Path.of("/srv/rd"), DataDirectory.resolve(Map.of("RUNNERDESK_HOME", "/srv/rd", "XDG_DATA_HOME", "/data"),
                "Linux", home));
    }
}
