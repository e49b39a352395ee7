package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.PiiSettings;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.policy.PiiScanner.ScanResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PiiScannerTest {
    private static final int MIB = 1024 * 1024;
    /** Generous: the point is linear versus quadratic (minutes), on a shared two-core machine. */
    private static final Duration ONE_MIB_BUDGET = Duration.ofSeconds(10);

    // Tokens are assembled from parts so that secret scanners do not flag this file.
    private static final String SK_ANT = "sk-" + "ant-api03-" + "Xy7_kQ2-mN4pR8sT1vW3zA5bC6dE9fG0hJ";
    private static final String SK_PROJ = "sk-" + "proj-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7";
    private static final String GH_SUFFIX = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    private static final String CM_SK = "cm_" + "sk_" + "0123456789abcdef0123456789abcdef01234567";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static final String KEY_BODY = "MIIEowIBAAKCAQEAxFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFak\nQm9keQ==";

    private static final PiiScanner DEFAULTS = new PiiScanner(PiiSettings.defaults());

    private static String marker(PiiDetector detector) {
        return "[REDACTED:" + detector.wireName() + "]";
    }

    // --- what each detector finds, and what it must leave alone ---

    static Stream<Arguments> emails() {
        return Stream.of(
                arguments("mail john.doe@example.com now", "mail [REDACTED:email] now"),
                arguments("first_last+tag@sub.example.co.uk", "[REDACTED:email]"),
                arguments("<ops@runnerdesk.dev>, sales@example.io.", "<[REDACTED:email]>, [REDACTED:email]."));
    }

    static Stream<Arguments> phones() {
        return Stream.of(
                arguments("call (555) 123-4567 today", "call [REDACTED:phone] today"),
                arguments("call 555-123-4567", "call [REDACTED:phone]"),
                arguments("555.123.4567 or 1-555-123-4567", "[REDACTED:phone] or [REDACTED:phone]"),
                arguments("London +44 20 7946 0958.", "London [REDACTED:phone]."),
                arguments("E.164: +15551234567", "E.164: [REDACTED:phone]"),
                arguments("+1 (555) 123-4567", "[REDACTED:phone]"),
                arguments("+44 (0)20 7946 0958", "[REDACTED:phone]"),
                arguments("national 020 7946 0958, 0161 496 0000", "national [REDACTED:phone], [REDACTED:phone]"),
                arguments("Paris 01 23 45 67 89", "Paris [REDACTED:phone]"),
                // the groups stop at 15 digits, so a date after the number survives
                arguments("+44 20 7946 0958 2026-11-26", "[REDACTED:phone] 2026-11-26"));
    }

    static Stream<Arguments> cards() {
        return Stream.of(
                arguments("card 4111 1111 1111 1111 ok", "card [REDACTED:credit_card] ok"),
                arguments("4111-1111-1111-1111", "[REDACTED:credit_card]"),
                arguments("pan=4111111111111111;", "pan=[REDACTED:credit_card];"),
                arguments("amex 3782 822463 10005", "amex [REDACTED:credit_card]"),
                arguments("mc 5500 0000 0000 0004, 2221000000000009", "mc [REDACTED:credit_card], [REDACTED:credit_card]"),
                arguments("discover 6011111111111117 diners 30569309025904", "discover [REDACTED:credit_card] diners [REDACTED:credit_card]"),
                arguments("19 digits 4000000000000000006", "19 digits [REDACTED:credit_card]"),
                arguments("paid 12.5 4111 1111 1111 1111", "paid 12.5 [REDACTED:credit_card]"),
                arguments("two 4111 1111 1111 1111 5500 0000 0000 0004", "two [REDACTED:credit_card] [REDACTED:credit_card]"));
    }

    static Stream<Arguments> ibans() {
        return Stream.of(
                arguments("DE89 3704 0044 0532 0130 00", "[REDACTED:iban]"),
                arguments("to DE89370400440532013000.", "to [REDACTED:iban]."),
                arguments("GB82 WEST 1234 5698 7654 32 EUR", "[REDACTED:iban] EUR"),
                arguments("FR14 2004 1010 0505 0001 3M02 606", "[REDACTED:iban]"),
                arguments("NO93 8601 1117 947 (shortest)", "[REDACTED:iban] (shortest)"),
                arguments("MT84 MALT 0110 0001 2345 MTLC AST0 01S", "[REDACTED:iban]"));
    }

    static Stream<Arguments> apiKeys() {
        return Stream.of(
                arguments("X-CM-API-Key: " + CM_SK, "X-CM-API-Key: [REDACTED:api_key]"),
                arguments("cm_" + "gw_" + "gateway0123 cm_" + "rt_" + "runner4567", "[REDACTED:api_key] [REDACTED:api_key]"),
                arguments("ANTHROPIC_API_KEY=" + SK_ANT, "ANTHROPIC_API_KEY=[REDACTED:api_key]"),
                arguments("\"" + SK_PROJ + "\"", "\"[REDACTED:api_key]\""),
                arguments("ghp_" + GH_SUFFIX + " gho_" + GH_SUFFIX, "[REDACTED:api_key] [REDACTED:api_key]"),
                arguments("ghs_" + GH_SUFFIX + " ghu_" + GH_SUFFIX, "[REDACTED:api_key] [REDACTED:api_key]"),
                arguments("github_" + "pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "[REDACTED:api_key]"),
                arguments("aws AKIAIOSFODNN7EXAMPLE ASIAY34FZKBOKMUTVV7A", "aws [REDACTED:api_key] [REDACTED:api_key]"),
                arguments("Authorization: Bearer " + JWT, "Authorization: Bearer [REDACTED:api_key]"));
    }

    static Stream<Arguments> privateKeys() {
        return Stream.of(
                arguments("before\n-----BEGIN RSA PRIVATE KEY-----\n" + KEY_BODY + "\n-----END RSA PRIVATE KEY-----\nafter",
                        "before\n[REDACTED:private_key]\nafter"),
                arguments("-----BEGIN EC PRIVATE KEY-----\r\n" + KEY_BODY + "\r\n-----END EC PRIVATE KEY-----",
                        "[REDACTED:private_key]"),
                arguments("-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n",
                        "[REDACTED:private_key]\n"),
                arguments("{\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEv\\n-----END PRIVATE KEY-----\\n\"}",
                        "{\"private_key\": \"[REDACTED:private_key]\\n\"}"),
                arguments("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + KEY_BODY + "\n-----END ENCRYPTED PRIVATE KEY-----",
                        "[REDACTED:private_key]"),
                // output cut off by the cap: the body is still withheld
                arguments("$ cat id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n[output truncated]",
                        "$ cat id_ed25519\n[REDACTED:private_key]\n[output truncated]"));
    }

    static Stream<Arguments> positives() {
        return Stream.of(
                tag(PiiDetector.EMAIL, emails()), tag(PiiDetector.PHONE, phones()), tag(PiiDetector.CREDIT_CARD, cards()),
                tag(PiiDetector.IBAN, ibans()), tag(PiiDetector.API_KEY, apiKeys()),
                tag(PiiDetector.PRIVATE_KEY, privateKeys())).flatMap(s -> s);
    }

    private static Stream<Arguments> tag(PiiDetector detector, Stream<Arguments> rows) {
        return rows.map(row -> arguments(detector, row.get()[0], row.get()[1]));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("positives")
    void eachMatchIsReplacedByItsDetectorsMarkerAndCounted(PiiDetector detector, String input, String expected) {
        ScanResult result = DEFAULTS.scan(input);
        assertEquals(expected, result.text());
        int markers = expected.split(Pattern.quote(marker(detector)), -1).length - 1;
        assertEquals(Map.of(detector, markers), result.hits());
        assertFalse(result.blocked());
    }

    static Stream<Arguments> nearMisses() {
        return Stream.of(
                arguments(PiiDetector.EMAIL, "a@b", "no domain"),
                arguments(PiiDetector.EMAIL, "a@b.c", "one-letter TLD"),
                arguments(PiiDetector.EMAIL, "root@localhost", "no TLD"),
                arguments(PiiDetector.EMAIL, "lodash@4.17.21", "package@version"),
                arguments(PiiDetector.EMAIL, "icon@2x.png", "asset file name"),
                arguments(PiiDetector.EMAIL, "image@sha256:9f86d081884c7d65", "image digest"),
                arguments(PiiDetector.PHONE, "started at 1767225600", "epoch seconds"),
                arguments(PiiDetector.PHONE, "version 1.2.3.4", "version number"),
                arguments(PiiDetector.PHONE, "on 2026-11-26 at 10:30:45", "date and time"),
                arguments(PiiDetector.PHONE, "2026-11-26T10:00:00+01:00", "ISO timestamp with offset"),
                arguments(PiiDetector.PHONE, "host 192.168.100.200", "IPv4 address"),
                arguments(PiiDetector.PHONE, "build 10.123.456.7890", "dotted build number"),
                arguments(PiiDetector.PHONE, "+1234567", "seven digits"),
                arguments(PiiDetector.PHONE, "+1234567890123456", "sixteen digits"),
                arguments(PiiDetector.PHONE, "555-123-4567-8901", "part of a longer dashed number"),
                arguments(PiiDetector.PHONE, "mode 0755 1000 1000", "file mode, uid, gid"),
                arguments(PiiDetector.PHONE, "555-1234", "seven-digit local number"),
                arguments(PiiDetector.CREDIT_CARD, "4111 1111 1111 1112", "fails Luhn, grouped"),
                arguments(PiiDetector.CREDIT_CARD, "4111111111111112", "fails Luhn"),
                arguments(PiiDetector.CREDIT_CARD, "5500-0000-0000-0005", "fails Luhn, dashed"),
                arguments(PiiDetector.CREDIT_CARD, "4111 1111 1111", "twelve digits"),
                arguments(PiiDetector.CREDIT_CARD, "40000000000000000002", "twenty digits though Luhn-valid"),
                arguments(PiiDetector.CREDIT_CARD, "ts=1767225600009", "Luhn-valid millisecond timestamp"),
                arguments(PiiDetector.CREDIT_CARD, "order4111111111111111", "inside a word"),
                arguments(PiiDetector.CREDIT_CARD, "pi 3.4111111111111111", "decimal fraction"),
                arguments(PiiDetector.IBAN, "DE88 3704 0044 0532 0130 00", "wrong check digits"),
                arguments(PiiDetector.IBAN, "DE88370400440532013000", "wrong check digits, compact"),
                arguments(PiiDetector.IBAN, "GB82 WEST 1234 5698 7654 33", "last digit changed"),
                arguments(PiiDetector.IBAN, "DE89 3704 0044", "too short"),
                arguments(PiiDetector.API_KEY, "sk-short", "sk- with a short tail"),
                arguments(PiiDetector.API_KEY, "sk-abcdefghij0123456789".substring(0, 22), "sk- with 19 characters"),
                arguments(PiiDetector.API_KEY, "ask-abcdefghijklmnopqrstuvwxyz", "sk- inside a word"),
                arguments(PiiDetector.API_KEY, "AKIAIOSFODNN7EXAMP", "AKIA and 14"),
                arguments(PiiDetector.API_KEY, "AKIAIOSFODNN7EXAMPL", "AKIA and 15"),
                arguments(PiiDetector.API_KEY, "AKIAIOSFODNN7EXAMPLEX", "AKIA and 17"),
                arguments(PiiDetector.API_KEY, "abJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "JWT shape, header not eyJ"),
                arguments(PiiDetector.API_KEY, "eyJhbGciOiJIUzI1NiJ9", "one segment"),
                arguments(PiiDetector.API_KEY, "cm_gw_x ghp_short", "prefixes without a key"),
                arguments(PiiDetector.PRIVATE_KEY, "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----", "public key"),
                arguments(PiiDetector.PRIVATE_KEY, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "certificate"),
                arguments(PiiDetector.PRIVATE_KEY, "never print a PRIVATE KEY", "the words only"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("nearMisses")
    void nearMissesAreLeftAlone(PiiDetector detector, String input, String why) {
        ScanResult result = DEFAULTS.scan(input);
        assertEquals(input, result.text(), detector + " matched " + why);
        assertTrue(result.hits().isEmpty(), () -> "hits " + result.hits());
    }

    // --- actions ---

    @Test
    void blockDetectorSetsBlockedAndItsMatchIsStillRedacted() {
        PiiScanner scanner = new PiiScanner(PiiSettings.defaults().with(PiiDetector.PRIVATE_KEY, PiiAction.BLOCK));
        ScanResult result = scanner.scan("id: ops@example.com\n-----BEGIN PRIVATE KEY-----\n" + KEY_BODY
                + "\n-----END PRIVATE KEY-----");
        assertTrue(result.blocked());
        assertEquals("id: [REDACTED:email]\n[REDACTED:private_key]", result.text());
        assertEquals(Map.of(PiiDetector.EMAIL, 1, PiiDetector.PRIVATE_KEY, 1), result.hits());
    }

    @Test
    void redactOnlyMatchesDoNotBlock() {
        PiiScanner scanner = new PiiScanner(PiiSettings.defaults().with(PiiDetector.CREDIT_CARD, PiiAction.BLOCK));
        ScanResult result = scanner.scan("ops@example.com 4111 1111 1111 1112");
        assertFalse(result.blocked());
        assertEquals(Map.of(PiiDetector.EMAIL, 1), result.hits());
    }

    @Test
    void offDetectorIsNeitherReportedNorRedacted() {
        PiiScanner scanner = new PiiScanner(PiiSettings.defaults().with(PiiDetector.EMAIL, PiiAction.OFF));
        ScanResult result = scanner.scan("ops@example.com paid with 4111111111111111");
        assertEquals("ops@example.com paid with [REDACTED:credit_card]", result.text());
        assertEquals(Map.of(PiiDetector.CREDIT_CARD, 1), result.hits());
    }

    @Test
    void everythingOffReturnsTheTextUntouched() {
        Map<PiiDetector, PiiAction> off = new EnumMap<>(PiiDetector.class);
        Arrays.stream(PiiDetector.values()).forEach(d -> off.put(d, PiiAction.OFF));
        String text = "ops@example.com 4111111111111111 " + SK_ANT;
        ScanResult result = new PiiScanner(new PiiSettings(off)).scan(text);
        assertEquals(new ScanResult(text, Map.of(), false), result);
    }

    @Test
    void turningEmailOffStillRedactsATokenInsideAUrl() {
        String url = "https://ghp_" + GH_SUFFIX + "@github.com/acme/repo.git";
        assertEquals("https://[REDACTED:email]/acme/repo.git", DEFAULTS.scan(url).text());
        PiiScanner emailOff = new PiiScanner(PiiSettings.defaults().with(PiiDetector.EMAIL, PiiAction.OFF));
        ScanResult result = emailOff.scan(url);
        assertEquals("https://[REDACTED:api_key]@github.com/acme/repo.git", result.text());
        assertEquals(Map.of(PiiDetector.API_KEY, 1), result.hits());
    }

    // --- overlaps and mixed text ---

    @Test
    void aPrivateKeyBlockSwallowsWhatLooksLikeOtherDataInsideIt() {
        String text = "-----BEGIN RSA PRIVATE KEY-----\nComment: ops@example.com 4111111111111111\n" + KEY_BODY
                + "\n-----END RSA PRIVATE KEY-----";
        ScanResult result = DEFAULTS.scan(text);
        assertEquals("[REDACTED:private_key]", result.text());
        assertEquals(Map.of(PiiDetector.PRIVATE_KEY, 1), result.hits());
    }

    @Test
    void overlappingCandidatesAreRedactedOnceByTheLongest() {
        // the e-mail contains the whole sk- key: one marker, not a marker inside a marker
        ScanResult result = DEFAULTS.scan("login " + SK_PROJ + "@example.com");
        assertEquals("login [REDACTED:email]", result.text());
        assertEquals(Map.of(PiiDetector.EMAIL, 1), result.hits());
    }

    @Test
    void mixedOutputIsRedactedPerDetectorWithCounts() {
        String output = String.join("\n",
                "user: jane@example.com, backup jane.doe@corp.example.org",
                "phone: (555) 123-4567 / +44 20 7946 0958",
                "card: 4111 1111 1111 1111 (bad: 4111 1111 1111 1112)",
                "iban: DE89 3704 0044 0532 0130 00",
                "env: OPENAI_API_KEY=" + SK_PROJ + " AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
                "built 2026-11-26 v1.2.3.4 at 1767225600");
        ScanResult result = DEFAULTS.scan(output);
        assertEquals(String.join("\n",
                "user: [REDACTED:email], backup [REDACTED:email]",
                "phone: [REDACTED:phone] / [REDACTED:phone]",
                "card: [REDACTED:credit_card] (bad: 4111 1111 1111 1112)",
                "iban: [REDACTED:iban]",
                "env: OPENAI_API_KEY=[REDACTED:api_key] AWS_ACCESS_KEY_ID=[REDACTED:api_key]",
                "built 2026-11-26 v1.2.3.4 at 1767225600"), result.text());
        assertEquals(Map.of(PiiDetector.EMAIL, 2, PiiDetector.PHONE, 2, PiiDetector.CREDIT_CARD, 1, PiiDetector.IBAN, 1,
                PiiDetector.API_KEY, 2), result.hits());
        assertFalse(result.blocked());
    }

    // --- speed ---

    @Test
    void oneMebibyteOfMixedOutputIsScannedWithEveryMatchCounted() {
        String block = String.join("\n",
                "2026-11-26T10:00:00Z INFO build 1767225600 v1.2.3.4 finished in 12.5 s",
                "contact john.doe@example.com or (555) 123-4567",
                "charge 4111 1111 1111 1111 to DE89 3704 0044 0532 0130 00 (not 4111 1111 1111 1112)",
                "export OPENAI_API_KEY=" + SK_ANT,
                "-----BEGIN EC PRIVATE KEY-----", KEY_BODY, "-----END EC PRIVATE KEY-----",
                "lorem ipsum dolor sit amet, consectetur adipiscing elit 0123456789abcdef deadbeef", "");
        int blocks = MIB / block.length() + 1;
        String output = block.repeat(blocks);
        assertTrue(output.length() >= MIB);

        ScanResult result = assertTimeoutPreemptively(ONE_MIB_BUDGET, () -> DEFAULTS.scan(output));

        Map<PiiDetector, Integer> expected = new EnumMap<>(PiiDetector.class);
        Arrays.stream(PiiDetector.values()).forEach(d -> expected.put(d, blocks));
        assertEquals(expected, result.hits());
        assertFalse(result.text().contains("4111 1111 1111 1111"));
        assertTrue(result.text().contains("4111 1111 1111 1112"));
    }

    static Stream<Arguments> pathologicalMebibytes() {
        return Stream.of(
                arguments("one word", fill("a")),
                arguments("one number", fill("7")),
                arguments("spaced digits glued to a word at the end", fill("1 ") + "x"),
                arguments("dashed digit groups", fill("4111-")),
                arguments("at signs", fill("x@")),
                arguments("a domain that never ends", "x@" + fill("a.")),
                arguments("JWT headers without dots", fill("eyJ")),
                arguments("JWT segments without a signature", fill("eyJhbGciOi.")),
                arguments("BEGIN lines without END", fill("-----BEGIN RSA PRIVATE KEY-----\n")),
                arguments("plus signs and groups", fill("+1 2 ")),
                arguments("IBAN-like groups", fill("AB12 CDEF ")),
                arguments("key prefixes", fill("sk-cm_sk_ghp_")),
                arguments("base64", fill("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123+/=")));
    }

    private static String fill(String unit) {
        return unit.repeat(MIB / unit.length() + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathologicalMebibytes")
    void adversarialMebibyteIsScannedInLinearTime(String shape, String text) {
        ScanResult result = assertTimeoutPreemptively(ONE_MIB_BUDGET, () -> DEFAULTS.scan(text));
        assertTrue(result.text().length() > 0, shape);
    }

    // --- settings and wire names ---

    @Test
    void wireNamesAreTheStoredNames() {
        assertEquals(List.of("email", "phone", "credit_card", "iban", "api_key", "private_key"),
                Arrays.stream(PiiDetector.values()).map(PiiDetector::wireName).toList());
        assertEquals(List.of("off", "redact", "block"), Arrays.stream(PiiAction.values()).map(PiiAction::wireName).toList());
        Arrays.stream(PiiDetector.values()).forEach(d -> assertEquals(d, PiiDetector.fromWire(d.wireName())));
        Arrays.stream(PiiAction.values()).forEach(a -> assertEquals(a, PiiAction.fromWire(a.wireName())));
        Arrays.stream(PiiDetector.values()).forEach(d -> assertFalse(d.description().isBlank(), d.wireName()));
    }

    @Test
    void unknownActionIsRejectedNamingTheAcceptedValues() {
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class, () -> PiiAction.fromWire("deny"));
        assertEquals("pii_action must be one of off, redact, block, got \"deny\"", e.getMessage());
        assertThrows(RunnerException.InvalidRequest.class, () -> PiiAction.fromWire(null));
        assertThrows(RunnerException.InvalidRequest.class, () -> PiiAction.fromWire("BLOCK"));
        assertThrows(RunnerException.InvalidRequest.class, () -> PiiDetector.fromWire("ssn"));
    }

    @Test
    void defaultsRedactWithEveryDetector() {
        PiiSettings defaults = PiiSettings.defaults();
        Arrays.stream(PiiDetector.values()).forEach(d -> assertEquals(PiiAction.REDACT, defaults.action(d), d.wireName()));
        assertEquals(PiiDetector.values().length, defaults.actions().size());
    }

    @Test
    void missingDetectorsDefaultToRedactAndTheSettingsAreACopy() {
        Map<PiiDetector, PiiAction> source = new EnumMap<>(PiiDetector.class);
        source.put(PiiDetector.PHONE, PiiAction.OFF);
        PiiSettings settings = new PiiSettings(source);
        source.put(PiiDetector.PHONE, PiiAction.BLOCK);

        assertEquals(PiiAction.OFF, settings.action(PiiDetector.PHONE));
        assertEquals(PiiAction.REDACT, settings.action(PiiDetector.IBAN));
        assertEquals(PiiSettings.defaults().with(PiiDetector.PHONE, PiiAction.OFF), settings);
        assertThrows(UnsupportedOperationException.class, () -> settings.actions().put(PiiDetector.IBAN, PiiAction.OFF));
    }

    @Test
    void scanResultHitsAreAnImmutableCopy() {
        Map<PiiDetector, Integer> hits = new EnumMap<>(Map.of(PiiDetector.EMAIL, 1));
        ScanResult result = new ScanResult("x", hits, false);
        hits.put(PiiDetector.PHONE, 2);
        assertEquals(Map.of(PiiDetector.EMAIL, 1), result.hits());
        assertThrows(UnsupportedOperationException.class, () -> result.hits().put(PiiDetector.IBAN, 1));
        assertThrows(IllegalArgumentException.class, () -> new ScanResult("x", Map.of(PiiDetector.EMAIL, 0), false));
    }

    @Test
    void textRightAfterATerminalEscapeSequenceIsScannedOnItsOwn() {
        // grep --color: the sequences end in letters, which would otherwise glue to the number
        String colored = "\u001b[01;31m\u001b[K4111111111111111\u001b[m\u001b[K and \u001b]0;DE89370400440532013000\u0007";
        ScanResult result = DEFAULTS.scan(colored);
        assertEquals("\u001b[01;31m\u001b[K[REDACTED:credit_card]\u001b[m\u001b[K and \u001b]0;[REDACTED:iban]\u0007",
                result.text());
        assertEquals(Map.of(PiiDetector.CREDIT_CARD, 1, PiiDetector.IBAN, 1), result.hits());
    }
}
