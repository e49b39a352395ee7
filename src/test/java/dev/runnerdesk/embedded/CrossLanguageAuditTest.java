package dev.runnerdesk.embedded;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditCheckpoint;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditExport;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditSignatures;
import dev.runnerdesk.core.ChainVerification.Problem;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.provider.fake.FakeProvider;
import dev.runnerdesk.wire.AuditExportVerifier;
import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An auditor's own tools must reproduce every hash and check every signature of an export: a Node.js script
 * ({@code src/test/node/verify-export.mjs}) with the RFC 8785 reference canonicalizer and Node's crypto checks an
 * export of events whose data is hostile to canonicalization, and names the same seq as {@link AuditExportVerifier#verify}
 * for each kind of tampering. In package {@code embedded} to write event data exactly as given.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrossLanguageAuditTest {
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);
    /** The actor is hashed too. */
    private static final Principal AUDITOR = new Principal("auditor \u2603\u0000\"", Role.ADMIN);

    @TempDir
    static Path work;
    private static Path script;
    private static Path export;
    private static String publicKey;
    private static long headSeq;
    private static List<AuditCheckpoint> checkpoints;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void exportHostileEventsAndInstallTheScript() throws IOException, InterruptedException {
        script = installScript();
        Path dataDir = work.resolve("data");
        Files.createDirectories(dataDir);
        try (EmbeddedRuntime runtime = new EmbeddedRuntime(dataDir, Clock.systemUTC(), List.of(new FakeProvider()))) {
            List<AuditCheckpoint> signed = new ArrayList<>();
            for (List<Map<String, Object>> batch : hostileBatches()) {
                for (Map<String, Object> data : batch) {
                    runtime.write(tx -> tx.event("test.hostile", "runner_\u00e9\u2028", "sess_1", AUDITOR, data));
                }
                runtime.checkpointAudit().ifPresent(signed::add);
            }
            // the newest events are chained but not signed yet, as between two checkpoints of a live trail
            runtime.write(tx -> tx.event("test.unsigned", null, null, Principal.system(), obj("n", 1)));
            headSeq = runtime.write(tx -> tx.event("test.unsigned", null, null, Principal.system(), obj("n", 2))).seq();
            checkpoints = List.copyOf(signed);
            var service = runtime.serviceFor(Principal.localUser());
            publicKey = service.auditStatus().publicKey().orElseThrow();
            export = work.resolve("export.jsonl");
            try (Writer out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
                AuditExport.write(AuditExport.Source.of(service), 1, Long.MAX_VALUE, Set.of(), Instant.now(), out,
                        AuditProgress.NONE);
            }
        }
        assertEquals(4, checkpoints.size(), "one checkpoint per batch");
    }

    /** Data JCS implementations get wrong: number forms, strings outside ASCII and the BMP, key order, nesting. */
    private static List<List<Map<String, Object>>> hostileBatches() {
        Map<String, Object> numbers = obj(
                "tenth", 0.1, "sum", 0.1 + 0.2, "third", 1.0 / 3, "tiny", 1e-7, "micro", 1e-6, "big", 1e21,
                "below_big", 1e20, "neg_zero", -0.0, "subnormal", Double.MIN_VALUE, "max", Double.MAX_VALUE,
                "float", 0.1f, "neg", -123.456e-10, "two53", 1L << 53, "two53_plus_1", (1L << 53) + 1,
                "neg_two53_minus_3", -(1L << 53) - 3, "long_max", Long.MAX_VALUE, "long_min", Long.MIN_VALUE,
                "huge", new BigInteger("123456789012345678901234567890"), "decimal", new BigDecimal("0.1000"),
                "sci_decimal", new BigDecimal("-4.5E-15"), "int", 42, "zero", 0);
        Map<String, Object> strings = obj(
                "emoji", "\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD", "non_bmp", "\uD834\uDD1E \uD835\uDD38", "cjk", "\u6F22\u5B57",
                "combining", "e\u0301", "controls", "\u0000\u0001\u0008\u000b\u001f\u007f\u0080\u009f",
                "escapes", "\"\\/\b\f\n\r\t", "line_separators", "\u2028\u2029", "bom", "\uFEFF", "empty", "",
                "nbsp", "\u00A0", "markup", "<script>&'</script>", "last_bmp", "\uFFFF", "private_use", "\uE000");
        // by UTF-16 code units "😀" (D83D DE00) sorts before "ﬁ" (FB01) and "｡" (FF61); by code point, after them
        Map<String, Object> keys = obj(
                "\uFF61", 1, "\uFB01", 2, "\uD83D\uDE00", 3, "", "empty key", "a", 4, "A", 5, "\u00e9", 6, "aa", 7,
                "a\u0000", 8, "10", 9, "9", 10, "\u007f", 11, "b", obj("\uD83D\uDE00", 1, "\uFB01", 2));
        Map<String, Object> nesting = obj(
                "nested", List.of(List.of(), List.of(obj()), obj("deep", List.of(List.of(List.of(obj("x", null, "y", true,
                        "z", false)))))),
                "empty_object", obj(), "empty_list", List.of(), "nulls", Arrays.asList(null, null),
                "mixed", Arrays.asList(1, "1", 1.0, null, true, List.of("a"), obj("1", 1)));
        Map<String, Object> lone = obj("lone_high", "\uD800", "lone_low", "x\uDC00y", "reversed_pair", "\uDE00\uD83D");
        // a string over 1,024 characters is cut; here the cut falls between the two halves of an emoji
        Map<String, Object> cut = obj("argv", List.of("a" + "\uD83D\uDE00".repeat(600)));
        return List.of(List.of(numbers, strings, random()), List.of(keys, nesting), List.of(lone),
                List.of(cut, obj("after", "cut")));
    }

    /** Doubles from random bit patterns, longs over the whole range, and code points from every plane. */
    private static Map<String, Object> random() {
        Random random = new Random(8785);
        List<Object> doubles = new ArrayList<>();
        while (doubles.size() < 500) {
            double d = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(d)) {
                doubles.add(d);
            }
        }
        List<Object> longs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            longs.add(i % 2 == 0 ? random.nextLong() : random.nextLong() >> random.nextInt(64));
        }
        StringBuilder text = new StringBuilder();
        random.ints(0, 0x110000).filter(cp -> cp < 0xD800 || cp > 0xDFFF).limit(300).forEach(text::appendCodePoint);
        StringBuilder latin1 = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            latin1.append(c);
        }
        return obj("doubles", doubles, "longs", longs, "code_points", text.toString(), "latin1", latin1.toString());
    }

    @Test
    void nodeReproducesEveryHashAndSignatureOfTheExport() throws Exception {
        long signedTo = checkpoints.get(checkpoints.size() - 1).seq();
        String summary = "ok: " + headSeq + " events, " + checkpoints.size() + " checkpoints, signed to seq " + signedTo;
        NodeRun pinned = node(export, publicKey);
        assertEquals(0, pinned.exit(), pinned::describe);
        assertEquals(summary, pinned.stdout().strip());
        NodeRun unpinned = node(export, null);
        assertEquals(0, unpinned.exit(), unpinned::describe);
        assertTrue(unpinned.stderr().contains("trusting the key the file names"), unpinned::describe);

        ChainVerification.Verified java = assertInstanceOf(ChainVerification.Verified.class, javaVerify(export, publicKey));
        assertEquals(headSeq, java.count());
        assertEquals(signedTo, java.signedToSeq());
        // the hostile values reached the export in their RFC 8785 forms (not neutralised on the way)
        String text = Files.readString(export, StandardCharsets.UTF_8);
        for (String form : List.of("\"legacy_form_until_seq\":0,", "\"long_min\":-9223372036854776000", "\"big\":1e+21",
                "\"tiny\":1e-7", "\"micro\":0.000001", "\"neg_zero\":0", "\"sum\":0.30000000000000004",
                "\"two53_plus_1\":9007199254740992", "\"huge\":1.2345678901234568e+29", "\"subnormal\":5e-324",
                "\"line_separators\":\"\u2028\u2029\"", "\"controls\":\"\\u0000\\u0001\\b\\u000b\\u001f\u007f\u0080\u009f\"",
                "\"lone_high\":\"\uFFFD\",\"lone_low\":\"x\uFFFDy\",\"reversed_pair\":\"\uFFFD\uFFFD\"",
                "{\"\":\"empty key\",\"10\":9,\"9\":10,\"A\":5,\"a\":4,\"a\\u0000\":8,\"aa\":7,"
                        + "\"b\":{\"\uD83D\uDE00\":1,\"\uFB01\":2},"
                        + "\"\u007f\":11,\"\u00e9\":6,\"\uD83D\uDE00\":3,\"\uFB01\":2,\"\uFF61\":1}")) {
            assertTrue(text.contains(form), () -> "the export lacks " + form);
        }
    }

    @Test
    void aChangedEventIsNamedByItsSeq() throws Exception {
        long seq = 2;
        Path changed = rewrite("changed",
                events -> events.replaceAll(e -> e.seq() == seq ? withData(e, obj("emoji", "\uD83D\uDE42")) : e));
        assertBothFail(changed, seq, Problem.CONTENT_CHANGED, "content does not match");
    }

    @Test
    void aChainRecomputedAfterAChangeIsNamedAtTheCheckpointThatSignedTheOldHash() throws Exception {
        AuditCheckpoint second = checkpoints.get(1);
        long seq = checkpoints.get(0).seq() + 1; // after checkpoint 1: caught at checkpoint 2's seq
        Path rewritten = rewrite("rewritten", events -> {
            String prev = AuditChain.GENESIS;
            for (int i = 0; i < events.size(); i++) {
                AuditEvent e = events.get(i);
                Map<String, Object> data = e.seq() == seq ? obj("\uFB01", 0.2) : e.data();
                String hash = AuditChain.hash(prev, e.seq(), e.eventType(), e.timestamp(), e.runnerId().orElse(null),
                        e.sessionId().orElse(null), e.actor(), data);
                events.set(i, new AuditEvent(e.seq(), e.eventType(), e.timestamp(), e.runnerId(), e.sessionId(), e.actor(), data,
                        prev, hash));
                prev = hash;
            }
        });
        assertBothFail(rewritten, second.seq(), Problem.REWRITTEN, "rewritten");
    }

    @Test
    void aForgedCheckpointSignatureIsNamedAtTheSeqItSigns() throws Exception {
        AuditCheckpoint second = checkpoints.get(1);
        String forged = AuditSignatures.sign(AuditSignatures.generate().getPrivate(), second.payload());
        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        lines.replaceAll(l -> l.equals(AuditChain.canonical(second.toJson())) ? l.replace(second.signature(), forged) : l);
        Path file = work.resolve("forged.jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        assertBothFail(file, second.seq(), Problem.BAD_SIGNATURE, "signature of checkpoint 2");
    }

    @Test
    void droppingTheNewestSignedEventsIsNamedAtTheFirstMissingSeq() throws Exception {
        long firstDropped = checkpoints.get(checkpoints.size() - 1).seq() - 1;
        Path truncated = rewrite("truncated", events -> events.removeIf(e -> e.seq() >= firstDropped));
        assertBothFail(truncated, firstDropped, Problem.TRUNCATED, "truncated");
    }

    @Test
    void anExportSignedByAnotherKeyFailsWhenTheTrustedKeyIsPinned() throws Exception {
        String otherKey = AuditSignatures.encodePublic(AuditSignatures.generate().getPublic());
        NodeRun run = node(export, otherKey);
        assertEquals(1, run.exit(), run::describe);
        assertTrue(run.stdout().startsWith("fail at seq " + checkpoints.get(0).seq() + ":"), run::describe);
        var java = assertInstanceOf(ChainVerification.Failed.class, javaVerify(export, otherKey));
        assertEquals(Problem.BAD_SIGNATURE, java.problem());
        assertEquals(checkpoints.get(0).seq(), java.seq());
    }

    private static void assertBothFail(Path file, long seq, Problem problem, String nodeSays) throws Exception {
        NodeRun run = node(file, publicKey);
        assertEquals(1, run.exit(), run::describe);
        assertTrue(run.stdout().startsWith("fail at seq " + seq + ":") && run.stdout().contains(nodeSays), run::describe);
        ChainVerification.Failed java = assertInstanceOf(ChainVerification.Failed.class, javaVerify(file, publicKey));
        assertEquals(problem, java.problem(), java::describe);
        assertEquals(seq, java.seq(), java::describe);
    }

    /** A copy of the export whose events {@code edit} changed (header and checkpoints as they were). */
    private static Path rewrite(String name, Consumer<List<AuditEvent>> edit) throws IOException {
        List<String> head = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(export, StandardCharsets.UTF_8)) {
            Map<String, Object> json = Json.readObject(line);
            if (json.containsKey("hash") && json.containsKey("seq")) {
                events.add(AuditExport.event(json));
            } else {
                head.add(line);
            }
        }
        edit.accept(events);
        List<String> lines = new ArrayList<>(head);
        events.forEach(e -> lines.add(AuditChain.canonical(AuditChain.fields(e))));
        Path file = work.resolve(name + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static AuditEvent withData(AuditEvent e, Map<String, Object> data) {
        return new AuditEvent(e.seq(), e.eventType(), e.timestamp(), e.runnerId(), e.sessionId(), e.actor(), data, e.prevHash(),
                e.hash());
    }

    private static ChainVerification javaVerify(Path file, String key) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return AuditExportVerifier.verify(in, Optional.of(key), AuditProgress.NONE).result();
        }
    }

    private static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    // --- Node.js -------------------------------------------------------------------------------------------------

    record NodeRun(int exit, String stdout, String stderr) {
        String describe() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private static NodeRun node(Path file, String key) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script.toString(), file.toString()));
        if (key != null) {
            command.add(key);
        }
        return run(script.getParent(), NODE_TIMEOUT, command);
    }

    /**
     * Copies the script and its lock file to {@code target/node-verify} (node_modules never enters src) and installs
     * the pinned canonicalizer there. Without Node.js this test is skipped, except on CI, where it must run.
     */
    private static Path installScript() throws IOException, InterruptedException {
        for (String tool : List.of("node", "npm")) {
            try {
                run(work, NODE_TIMEOUT, List.of(tool, "--version"));
            } catch (IOException missing) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(tool + " is not on the PATH; CI must run the cross-language audit check (.ci/run installs it)");
                }
                Assumptions.abort(tool + " is not on the PATH: the cross-language audit check is skipped");
            }
        }
        Path base = Path.of(System.getProperty("project.basedir", "."));
        Path dir = base.resolve("target/node-verify");
        Files.createDirectories(dir);
        for (String name : List.of("verify-export.mjs", "package.json", "package-lock.json")) {
            Files.copy(base.resolve("src/test/node").resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        NodeRun npm = run(dir, NPM_TIMEOUT, List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"));
        assertEquals(0, npm.exit(), () -> "npm ci failed\n" + npm.describe());
        return dir.resolve("verify-export.mjs");
    }

    private static NodeRun run(Path dir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeout + ": " + Files.readString(err));
        }
        return new NodeRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
