package dev.runnerdesk.cli;

import dev.runnerdesk.core.Role;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.store.Database;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A key given to `serve` (argument, file or environment) is accepted for that run only and never stored. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ServeKeysTest {
    private static final String KEY_A = "cm_sk_first_key_of_this_test_0001";
    private static final String KEY_B = "cm_sk_second_key_of_this_test_0002";

    @TempDir
    Path dir;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    @AfterEach
    void closeClient() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private Path data() {
        return dir.resolve("data");
    }

    private ServeCommand.Running serve(Map<String, String> environment, String... args) throws IOException {
        ServeCommand command = new ServeCommand();
        command.environment = environment;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--data-dir", data().toString(), "--port", "0"));
        all.addAll(List.of(args));
        cli.parseArgs(all.toArray(String[]::new));
        return command.start();
    }

    private int status(ServeCommand.Running running, String key) throws IOException {
        Request request = new Request.Builder().url(running.server().baseUrl() + "/v1/admin/me").header("X-CM-API-Key", key).build();
        try (Response r = http.newCall(request).execute()) {
            return r.code();
        }
    }

    private String databaseBytes() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of(Database.FILE_NAME, Database.FILE_NAME + "-wal")) {
            Path file = data().resolve(name);
            if (Files.exists(file)) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Test
    void aKeyGivenToOneRunIsGoneInTheNextAndNeverStored() throws IOException {
        try (ServeCommand.Running first = serve(Map.of(), "--api-key", KEY_A)) {
            assertEquals(200, status(first, KEY_A));
        }
        assertTrue(err.toString().contains("other users of this computer"), "--api-key warns: " + err);
        try (ServeCommand.Running second = serve(Map.of(ConnectionOptions.API_KEY_VARIABLE, KEY_B))) {
            assertEquals(200, status(second, KEY_B), "a different key works in the next run");
            assertEquals(401, status(second, KEY_A), "the first run's key is gone");
        }
        Path file = dir.resolve("key");
        Files.writeString(file, KEY_A + "\n");
        try (ServeCommand.Running third = serve(Map.of(), "--api-key-file", file.toString())) {
            assertEquals(200, status(third, KEY_A));
            assertEquals(401, status(third, KEY_B));
        }
        String stored = databaseBytes();
        assertFalse(stored.contains(KEY_A) || stored.contains(KEY_B), "a key given to serve is never written");
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(data())) {
            assertTrue(runtime.apiKeys().list().isEmpty(), "no key is kept: " + runtime.apiKeys().list());
        }
        assertFalse(out.toString().contains(KEY_A) || err.toString().contains(KEY_A), "nor printed");
    }

    @Test
    void keysMadeWithKeysCreateStayAndTheKeyEarlierVersionsStoredIsRevoked() throws IOException {
        String lasting;
        try (EmbeddedRuntime runtime = EmbeddedRuntimes.open(data())) {
            lasting = runtime.apiKeys().create("ci", Role.OPERATOR);
            runtime.apiKeys().register(KEY_A, ServeCommand.STORED_BY_EARLIER_VERSIONS, Role.ADMIN);
        }
        try (ServeCommand.Running running = serve(Map.of(), "--api-key", KEY_B)) {
            assertEquals(200, status(running, lasting));
            assertEquals(200, status(running, KEY_B));
            assertEquals(401, status(running, KEY_A), "what an earlier `serve --api-key` stored is revoked");
        }
        assertTrue(err.toString().contains("revoked the key an earlier `serve --api-key` stored"), err.toString());
        try (ServeCommand.Running running = serve(Map.of())) {
            assertEquals(200, status(running, lasting));
            assertEquals(401, status(running, KEY_B));
        }
    }

    @Test
    void aKeyThatCannotBeSentIsRefusedWithoutQuotingIt() {
        String bad = "cm_sk_has space";
        RuntimeException e = assertThrows(RuntimeException.class, () -> serve(Map.of(), "--api-key", bad));
        assertFalse(e.getMessage().contains(bad), e.getMessage());
        assertThrows(CommandLine.ParameterException.class,
                () -> serve(Map.of(), "--api-key", KEY_A, "--api-key-file", dir.resolve("key").toString()));
    }
}
