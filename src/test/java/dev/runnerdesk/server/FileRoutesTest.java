package dev.runnerdesk.server;

import dev.runnerdesk.cli.EmbeddedRuntimes;
import dev.runnerdesk.core.FileAccess;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.embedded.EmbeddedRuntime;
import dev.runnerdesk.wire.Json;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** serve's workspace-file and metrics routes as a raw HTTP peer sees them: statuses, the field a 400 names, 413 early. */
class FileRoutesTest {
    private static final MediaType JSON = MediaType.get("application/json");
    @TempDir
    Path dataDir;
    private EmbeddedRuntime runtime;
    private GatewayServer server;
    private String admin;
    private String viewer;
    private String runner;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(20, TimeUnit.SECONDS).build();

    @BeforeEach
    void start() throws IOException {
        runtime = EmbeddedRuntimes.open(dataDir);
        admin = runtime.apiKeys().create("admin", Role.ADMIN);
        viewer = runtime.apiKeys().create("viewer", Role.VIEWER);
        server = new GatewayServer(runtime, GatewayServer.Options.defaults().withPort(0)).start();
        try (Response r = call("POST", "/gateway/admin/runners", admin, "{\"provider_type\":\"fake\"}")) {
            assertEquals(201, r.code());
            runner = (String) Json.readObject(r.body().string()).get("runner_id");
        }
    }

    @AfterEach
    void stop() {
        server.close();
        runtime.close();
    }

    private String files() {
        return "/gateway/admin/runners/" + runner + "/files";
    }

    private Response call(String method, String path, String key, String body) throws IOException {
        Request.Builder b = new Request.Builder().url(server.baseUrl() + path).header("X-CM-API-Key", key);
        b.method(method, body == null ? (method.equals("POST") || method.equals("PUT") ? RequestBody.create(new byte[0]) : null)
                : RequestBody.create(body, JSON));
        return http.newCall(b.build()).execute();
    }

    private Response put(String path, String key, byte[] content) throws IOException {
        return http.newCall(new Request.Builder().url(server.baseUrl() + path).header("X-CM-API-Key", key)
                .put(RequestBody.create(content, MediaType.get("application/octet-stream"))).build()).execute();
    }

    /** The error body's field, after checking the status and that the answer came from a file route. */
    private String refused(int status, Response r) throws IOException {
        try (r) {
            String text = r.body().string();
            assertEquals(status, r.code(), text);
            assertEquals("1", r.header(FileRoutes.ROUTES_HEADER), "every file-route answer is marked");
            Map<?, ?> error = (Map<?, ?>) Json.readObject(text).get("error");
            assertNotNull(error.get("request_id"));
            return (String) error.get("field");
        }
    }

    @Test
    void filesRoundTripWithTheirShapesAndLengths() throws IOException {
        try (Response r = call("POST", files() + "/folders", admin, "{\"path\":\"src\"}")) {
            assertEquals(201, r.code());
            assertEquals("folder", Json.readObject(r.body().string()).get("kind"));
        }
        try (Response r = put(files() + "/content?path=src/a.txt", admin, "hello world".getBytes(StandardCharsets.UTF_8))) {
            Map<String, Object> entry = Json.readObject(r.body().string());
            assertEquals(200, r.code());
            assertEquals("src/a.txt", entry.get("path"));
            assertEquals(11, ((Number) entry.get("size")).intValue());
            assertTrue(entry.containsKey("link_target") && entry.get("modified") instanceof String);
        }
        try (Response r = call("GET", files() + "/content?path=src/a.txt&offset=6&length=100", admin, null)) {
            assertEquals(200, r.code());
            assertEquals("5", r.header("Content-Length"), "the length is known from the file's stat");
            assertEquals("application/octet-stream", r.header("Content-Type"));
            assertEquals("world", r.body().string());
        }
        try (Response r = call("GET", files() + "?path=src", admin, null)) {
            List<?> entries = (List<?>) Json.readObject(r.body().string()).get("entries");
            assertEquals("a.txt", ((Map<?, ?>) entries.get(0)).get("name"));
        }
        try (Response r = call("POST", files() + "/move", admin, "{\"from\":\"src/a.txt\",\"to\":\"b.txt\"}")) {
            assertEquals(200, r.code());
        }
        try (Response r = call("DELETE", files() + "?path=b.txt", admin, null)) {
            assertEquals(200, r.code());
        }
        assertEquals(null, refused(404, call("GET", files() + "/stat?path=b.txt", admin, null)));
        try (Response r = call("GET", "/gateway/admin/runners/" + runner + "/metrics?since=1970-01-01T00:00:00Z", viewer, null)) {
            assertEquals(200, r.code());
            List<?> samples = (List<?>) Json.readObject(r.body().string()).get("samples");
            assertEquals("synthetic", ((Map<?, ?>) samples.get(samples.size() - 1)).get("source"));
        }
    }

    @Test
    void badInputIsA400NamingTheField() throws IOException {
        assertEquals("path", refused(400, call("GET", files() + "/stat", admin, null)));
        assertEquals("path", refused(400, call("GET", files() + "?path=../etc", admin, null)));
        assertEquals("path", refused(400, call("GET", files() + "/content?path=a/../../x", admin, null)));
        assertEquals("offset", refused(400, call("GET", files() + "/content?path=a&offset=-1", admin, null)));
        assertEquals("offset", refused(400, call("GET", files() + "/content?path=a&offset=ten", admin, null)));
        assertEquals("length", refused(400, call("GET", files() + "/content?path=a&length=-2", admin, null)));
        assertEquals("recursive", refused(400, call("DELETE", files() + "?path=a&recursive=maybe", admin, null)));
        assertEquals("path", refused(400, call("POST", files() + "/folders", admin, "{}")));
        assertEquals("to", refused(400, call("POST", files() + "/move", admin, "{\"from\":\"a\"}")));
        assertEquals("since", refused(400, call("GET", "/gateway/admin/runners/" + runner + "/metrics?since=yesterday", admin, null)));
        try (Response r = call("POST", files() + "/folders", admin, "{not json")) {
            assertEquals(400, r.code());
        }
        refused(404, call("GET", "/gateway/admin/runners/runner_000000000000/files", admin, null));
        refused(403, put(files() + "/content?path=x.txt", viewer, new byte[] {1}));
        refused(403, call("DELETE", files() + "?path=x.txt", viewer, null));
    }

    @Test
    void anUploadOverTheLimitIs413BeforeItsBodyIsRead() throws IOException {
        RunnerService service = runtime.serviceFor(Principal.localUser());
        Policies policies = service.policies();
        EnumMap<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        profiles.put(ToolProfile.LOCKED, policies.profile(ToolProfile.LOCKED).withFiles(new FileAccess(true, 1)));
        service.updatePolicies(new Policies(profiles, policies.pii()));

        // a declared length over the limit: answered before one byte of the 100 MB is sent
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + files() + "/content?path=big.bin HTTP/1.1\r\nHost: x\r\nX-CM-API-Key: " + admin
                    + "\r\nContent-Length: 104857600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = head(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"limit_bytes\":1048576") && answer.toLowerCase(java.util.Locale.ROOT).contains("runnerdesk-files: 1"), answer);
        }
        // chunked, with no end: answered once it passed the limit, without waiting for the rest
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + files() + "/content?path=big.bin HTTP/1.1\r\nHost: x\r\nX-CM-API-Key: " + admin
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 20; i++) { // 1.25 MiB, then silence: never the closing chunk
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String answer = head(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("too_large"), answer);
        }
        refused(404, call("GET", files() + "/stat?path=big.bin", admin, null));
    }

    /** The status line, headers and the start of the body, as far as they came. */
    private static String head(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        StringBuilder text = new StringBuilder();
        int n;
        while (!text.toString().contains("}}") && (n = in.read(buf)) > 0) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
