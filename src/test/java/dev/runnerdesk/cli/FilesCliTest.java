package dev.runnerdesk.cli;

import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.server.GatewayServer;
import dev.runnerdesk.testutil.Sandboxes;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `runners files …` and `runners stats`, through a serve (`--gateway`) and on this computer. */
class FilesCliTest {
    @TempDir
    Path dir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private Path adminKey;
    private Path viewerKey;

    @BeforeEach
    void start() throws IOException {
        runtime = EmbeddedRuntimes.open(dir.resolve("server"));
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
        adminKey = dir.resolve("admin-key");
        Files.writeString(adminKey, runtime.apiKeys().create("cli", Role.ADMIN) + "\n");
        viewerKey = dir.resolve("viewer-key");
        Files.writeString(viewerKey, runtime.apiKeys().create("look", Role.VIEWER) + "\n");
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private static String[] run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** {@code runners <words…>} through the serve with {@code key}. */
    private String[] via(Path key, String... words) {
        List<String> args = new ArrayList<>(List.of("runners"));
        args.addAll(List.of(words));
        args.addAll(List.of("--gateway", server.baseUrl(), "--api-key-file", key.toString()));
        return run(args);
    }

    private String[] ok(String[] result) {
        assertEquals("0", result[0], result[1] + result[2]);
        return result;
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void filesRoundTripThroughAServeWithRefusalsAndFolders() throws IOException {
        String runner = (String) Json.readObject(ok(via(adminKey, "create", "--json"))[1]).get("runner_id");
        Path local = dir.resolve("local");
        Files.createDirectories(local);
        byte[] data = random(300_000, 18);
        Files.write(local.resolve("data.bin"), data);

        ok(via(adminKey, "files", "mkdir", runner, "in"));
        assertTrue(ok(via(adminKey, "files", "put", runner, "in/data.bin", local.resolve("data.bin").toString()))[1]
                .contains("Uploaded 1 file, 300000 bytes"));
        List<?> entries = (List<?>) Json.readObject(ok(via(adminKey, "files", "ls", runner, "in", "--json"))[1]).get("entries");
        assertEquals("data.bin", ((Map<?, ?>) entries.get(0)).get("name"));
        assertTrue(ok(via(adminKey, "files", "ls", runner, "in"))[1].contains("data.bin"));

        Path back = local.resolve("back.bin");
        ok(via(adminKey, "files", "get", runner, "in/data.bin", back.toString()));
        assertArrayEquals(data, Files.readAllBytes(back));
        Files.write(back, new byte[] {1, 2, 3});
        String[] refused = via(adminKey, "files", "get", runner, "in/data.bin", back.toString());
        assertEquals("1", refused[0]);
        assertTrue(refused[2].contains("exists; add --force"), refused[2]);
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(back), "an existing file is kept");
        ok(via(adminKey, "files", "get", runner, "in/data.bin", back.toString(), "--force"));
        assertArrayEquals(data, Files.readAllBytes(back));

        // a folder up and down with -r; the local symlink is skipped and said so
        Path tree = local.resolve("tree");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("a.txt"), "a");
        Files.writeString(tree.resolve("sub/b.txt"), "b");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("/etc/passwd"));
        String[] folderPut = via(adminKey, "files", "put", runner, "tree", tree.toString());
        assertEquals("1", folderPut[0]);
        assertTrue(folderPut[2].contains("add -r"), folderPut[2]);
        String[] put = ok(via(adminKey, "files", "put", "-r", runner, "tree", tree.toString()));
        assertTrue(put[2].contains("skipped") && put[2].contains("symlink"), put[2]);
        Path copy = local.resolve("copy");
        Map<String, Object> got = Json.readObject(ok(via(adminKey, "files", "get", "-r", "--json", runner, "tree",
                copy.toString()))[1]);
        assertEquals(2, ((Number) got.get("files")).intValue());
        assertEquals("a", Files.readString(copy.resolve("a.txt")));
        assertEquals("b", Files.readString(copy.resolve("sub/b.txt")));
        assertFalse(Files.exists(copy.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));

        ok(via(adminKey, "files", "mv", runner, "in/data.bin", "moved.bin"));
        ok(via(adminKey, "files", "rm", "-r", runner, "tree"));
        String[] listed = ok(via(adminKey, "files", "ls", runner));
        assertTrue(listed[1].contains("moved.bin") && !listed[1].contains("tree"), listed[1]);

        Map<String, Object> stats = Json.readObject(ok(via(adminKey, "stats", runner, "--json"))[1]);
        assertFalse(((List<?>) stats.get("samples")).isEmpty());
        assertTrue(ok(via(adminKey, "stats", runner))[1].contains("synthetic"));
        assertTrue(ok(via(adminKey, "stats", runner, "--watch", "--count", "1"))[1].contains("synthetic"));
    }

    @Test
    void aRefusedDownloadLeavesNoFileNorPartBehind() throws IOException {
        String runner = (String) Json.readObject(ok(via(adminKey, "create", "--json"))[1]).get("runner_id");
        Path src = dir.resolve("notes.txt");
        Files.writeString(src, "secret notes");
        ok(via(adminKey, "files", "put", runner, "notes.txt", src.toString()));
        RunnerService service = runtime.serviceFor(Principal.localUser());
        Policies policies = service.policies();
        EnumMap<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        profiles.put(ToolProfile.LOCKED, policies.profile(ToolProfile.LOCKED).withFiles(new FileAccess(false, 16)));
        service.updatePolicies(new Policies(profiles, policies.pii()));

        Path target = dir.resolve("out");
        Files.createDirectories(target);
        String[] refused = via(viewerKey, "files", "get", runner, "notes.txt", target.resolve("notes.txt").toString());
        assertEquals("1", refused[0]);
        assertTrue(refused[2].contains("viewer"), refused[2]);
        String[] missing = via(adminKey, "files", "get", runner, "nothing.txt", target.resolve("nothing.txt").toString());
        assertEquals("1", missing[0]);
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(), left.toList(), "no file and no .part file");
        }
        String[] put = via(viewerKey, "files", "put", runner, "x.txt", src.toString());
        assertEquals("1", put[0]);
        assertTrue(put[2].contains("error:"), put[2]);
    }

    @Test
    void filesRoundTripOnThisComputer() throws IOException {
        // the fake provider's files live as long as its process; the local sandbox keeps them on disk between commands
        String previous = System.getProperty("runnerdesk.local.allowRoot");
        System.setProperty("runnerdesk.local.allowRoot", "1"); // CI and containers run the tests as root
        try {
            Path data = dir.resolve("embedded");
            try (EmbeddedRuntime probe = EmbeddedRuntimes.open(data)) {
                Sandboxes.require(probe.serviceFor(Principal.localUser()));
            }
            String runner = (String) Json.readObject(ok(run(List.of("runners", "create", "--provider", "local", "--json",
                    "--data-dir", data.toString())))[1]).get("runner_id");
            byte[] content = random(100_000, 7);
            Path src = dir.resolve("up.bin");
            Files.write(src, content);
            ok(run(List.of("runners", "files", "put", runner, "up.bin", src.toString(), "--data-dir", data.toString())));
            Path back = dir.resolve("down.bin");
            ok(run(List.of("runners", "files", "get", runner, "up.bin", back.toString(), "--data-dir", data.toString())));
            assertArrayEquals(content, Files.readAllBytes(back));
            ok(run(List.of("runners", "terminate", runner, "--yes", "--data-dir", data.toString())));
        } finally {
            if (previous == null) {
                System.clearProperty("runnerdesk.local.allowRoot");
            } else {
                System.setProperty("runnerdesk.local.allowRoot", previous);
            }
        }
    }
}
