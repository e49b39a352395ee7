package dev.runnerdesk.policy;

import dev.runnerdesk.core.PiiDetector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detectors' search rules. Every pattern is anchored on a token boundary (a lookbehind) and uses possessive or
 * bounded quantifiers, so a scan tries each start position once and never backtracks far: 1 MiB of output stays
 * linear even when it is one long run of digits, letters or base64. Checks a regex cannot express (Luhn, mod-97,
 * how many digits a phone number has) run in plain code on the candidates.
 */
final class PiiFinders {
    private PiiFinders() {
    }

    /** Every candidate of the given detectors; they may overlap, the scanner picks among them. */
    static List<PiiMatch> findAll(String text, Set<PiiDetector> detectors) {
        List<PiiMatch> found = new ArrayList<>();
        for (PiiDetector detector : detectors) {
            switch (detector) {
                case EMAIL -> findEmails(text, found);
                case PHONE -> findPhones(text, found);
                case CREDIT_CARD -> findCards(text, found);
                case IBAN -> findIbans(text, found);
                case API_KEY -> findApiKeys(text, found);
                case PRIVATE_KEY -> findPrivateKeys(text, found);
            }
        }
        return found;
    }

    // --- email ---

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@"
                    + "(?:[A-Za-z0-9-]{1,63}+\\.){1,8}([A-Za-z]{2,63}+)(?![A-Za-z0-9-])");

    /** File names such as {@code logo@2x.png} or {@code react@18.2.0.tgz} look like addresses; none is a real TLD. */
    private static final Set<String> FILE_EXTENSIONS = Set.of(
            "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "css", "js", "mjs", "cjs", "ts", "tsx", "jsx",
            "map", "json", "txt", "html", "htm", "xml", "yml", "yaml", "tgz", "gz", "lock", "log", "jar", "class");

    static void findEmails(String text, List<PiiMatch> out) {
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            if (!FILE_EXTENSIONS.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                out.add(new PiiMatch(m.start(), m.end(), PiiDetector.EMAIL));
            }
        }
    }

    // --- phone ---

    /** Not glued to a word, a '+', a '(' or a preceding group of digits (so no match starts inside a longer number). */
    private static final String PHONE_START = "(?<![\\w+(]|\\d[ .-])";
    /** Not followed by a word or by a further group of digits. */
    private static final String PHONE_END = "(?![\\w]|[ .-]\\d)";

    /** {@code +} country code, then digit groups separated by space, dot or dash, with an optional (area) group. */
    private static final Pattern PHONE_INTERNATIONAL = Pattern.compile(
            "(?<![\\w+])\\+[1-9]\\d{0,14}+(?:(?:[ .-]|(?<=\\)))\\d{1,10}+|[ .-]?\\(\\d{1,6}+\\)){0,7}+(?![\\w])");

    private static final Pattern PHONE_NATIONAL = Pattern.compile(PHONE_START + "(?:"
            // North American: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567, 1-555-123-4567
            + "(?:1[ .-])?(?:\\(\\d{3}\\) ?\\d{3}[ .-]\\d{4}|\\d{3}([ .-])\\d{3}\\1\\d{4})"
            // French pairs: 01 23 45 67 89, 01.23.45.67.89
            + "|0[1-9]([ .])\\d{2}(?:\\2\\d{2}){3}"
            + ")" + PHONE_END);

    /** Trunk 0 and three groups: 020 7946 0958, 0161 496 0000. Only with 10 or 11 digits, unlike "0755 1000 1000". */
    private static final Pattern PHONE_TRUNK_ZERO = Pattern.compile(
            PHONE_START + "0\\d{2,4} \\d{3,4} \\d{3,4}" + PHONE_END);

    static final int PHONE_MIN_DIGITS = 8;
    static final int PHONE_MAX_DIGITS = 15;

    static void findPhones(String text, List<PiiMatch> out) {
        Matcher m = PHONE_INTERNATIONAL.matcher(text);
        while (m.find()) {
            int end = internationalPhoneEnd(text, m.start(), m.end());
            if (end > 0) {
                out.add(new PiiMatch(m.start(), end, PiiDetector.PHONE));
            }
        }
        m = PHONE_NATIONAL.matcher(text);
        while (m.find()) {
            out.add(new PiiMatch(m.start(), m.end(), PiiDetector.PHONE));
        }
        m = PHONE_TRUNK_ZERO.matcher(text);
        while (m.find()) {
            int digits = m.end() - m.start() - 2; // two spaces
            if (digits == 10 || digits == 11) {
                out.add(new PiiMatch(m.start(), m.end(), PiiDetector.PHONE));
            }
        }
    }

    /**
     * The end of the phone number in {@code text[start, end)} (which starts at the '+'), or -1 if it has fewer than 8
     * digits. A compact number ({@code +15551234567}) ends with its digits; a grouped one takes whole groups while
     * it stays within E.164's 15 digits, since the pattern may have run on into a date or a count after it.
     */
    private static int internationalPhoneEnd(String text, int start, int end) {
        int i = start + 1;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        int digits = i - start - 1;
        if (digits >= PHONE_MIN_DIGITS) {
            return i;
        }
        int phoneEnd = -1;
        while (i < end) {
            char c = text.charAt(i);
            if (isDigit(c)) {
                digits++;
                boolean groupEnds = i + 1 == end || !isDigit(text.charAt(i + 1));
                if (digits > PHONE_MAX_DIGITS) {
                    break;
                }
                if (groupEnds && digits >= PHONE_MIN_DIGITS) {
                    phoneEnd = i + 1 < end && text.charAt(i + 1) == ')' ? i + 2 : i + 1;
                }
            }
            i++;
        }
        return phoneEnd;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // --- credit card ---

    /**
     * Runs of digit groups joined by single spaces or dashes, starting outside a word or decimal fraction. Whether
     * the run's last group is glued to what follows is checked in code: as a lookahead it would make a failed run be
     * rescanned from each of its groups.
     */
    private static final Pattern DIGIT_GROUPS = Pattern.compile("(?<![\\w.,])\\d++(?:[ -]\\d++)*+");

    static void findCards(String text, List<PiiMatch> out) {
        Matcher m = DIGIT_GROUPS.matcher(text);
        while (m.find()) {
            findCardsInGroups(text, m.start(), m.end(), out);
        }
    }

    /**
     * A card is one unbroken group of 13-19 digits, or consecutive groups of 3-6 digits with one kind of separator
     * (4-4-4-4, Amex 4-6-5, 4-4-4-4-3). Leftmost start first, then the most digits.
     */
    private static void findCardsInGroups(String text, int from, int to, List<PiiMatch> out) {
        List<int[]> groups = new ArrayList<>(); // {start, end} of each run of digits
        for (int i = from; i < to; ) {
            int start = i;
            while (i < to && isDigit(text.charAt(i))) {
                i++;
            }
            groups.add(new int[] {start, i});
            i++; // the separator
        }
        if (gluedToWhatFollows(text, to)) {
            groups.remove(groups.size() - 1); // part of a word or of a decimal number such as 12.5
        }
        int first = 0;
        while (first < groups.size()) {
            int cardStart = groups.get(first)[0];
            int firstLength = groups.get(first)[1] - cardStart;
            int bestLast = -1;
            if (firstLength >= 13 && firstLength <= 19) {
                if (isCardNumber(text, cardStart, groups.get(first)[1])) {
                    bestLast = first;
                }
            } else if (firstLength >= 3 && firstLength <= 6) {
                int digits = firstLength;
                char separator = groups.get(first)[1] < text.length() ? text.charAt(groups.get(first)[1]) : ' ';
                for (int last = first + 1; last < groups.size(); last++) {
                    int[] g = groups.get(last);
                    int length = g[1] - g[0];
                    digits += length;
                    if (length < 3 || length > 6 || digits > 19 || text.charAt(g[0] - 1) != separator) {
                        break;
                    }
                    if (digits >= 13 && isCardNumber(text, cardStart, g[1])) {
                        bestLast = last;
                    }
                }
            }
            if (bestLast >= 0) {
                out.add(new PiiMatch(cardStart, groups.get(bestLast)[1], PiiDetector.CREDIT_CARD));
                first = bestLast + 1;
            } else {
                first++;
            }
        }
    }

    private static boolean gluedToWhatFollows(String text, int end) {
        if (end >= text.length()) {
            return false;
        }
        char next = text.charAt(end);
        boolean wordChar = Character.isLetterOrDigit(next) || next == '_';
        boolean decimalPoint = (next == '.' || next == ',') && end + 1 < text.length() && isDigit(text.charAt(end + 1));
        return wordChar || decimalPoint;
    }

    /**
     * Luhn over the digits of {@code text[start, end)}, and a payment-card first digit (2-6: Mastercard 2-series,
     * Amex/Diners/JCB, Visa, Mastercard/Maestro, Discover/UnionPay). Excluding 1, 7, 8, 9 and 0 keeps Luhn-valid
     * millisecond timestamps, phone numbers and zero-padded ids out.
     */
    static boolean isCardNumber(CharSequence text, int start, int end) {
        char leading = text.charAt(start);
        if (leading < '2' || leading > '6') {
            return false;
        }
        int sum = 0;
        boolean doubled = false;
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    // --- IBAN ---

    /** Country code, check digits, then the BBAN unbroken or in space-separated groups of four. */
    private static final Pattern IBAN = Pattern.compile(
            "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?:[A-Z0-9]{11,30}+|(?: [A-Z0-9]{1,4}+){3,8})(?![A-Za-z0-9])");

    static final int IBAN_MIN_LENGTH = 15;
    static final int IBAN_MAX_LENGTH = 34;

    static void findIbans(String text, List<PiiMatch> out) {
        Matcher m = IBAN.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int end = longestValidIban(text, m.start(), m.end());
            if (end > 0) {
                out.add(new PiiMatch(m.start(), end, PiiDetector.IBAN));
                from = end;
            } else {
                // the candidate may have swallowed the start of a real IBAN; candidates are short, so look again
                from = m.start() + 1;
            }
        }
    }

    /** The end of the longest valid IBAN made of whole groups from {@code start}, or -1. */
    private static int longestValidIban(String text, int start, int end) {
        boolean grouped = text.charAt(start + 4) == ' ';
        if (!grouped) {
            return isIban(text, start, end) ? end : -1;
        }
        // the last groups may be a word after the IBAN ("... 0130 00 EUR"): drop them one by one
        for (int candidateEnd = end; candidateEnd > start; candidateEnd = text.lastIndexOf(' ', candidateEnd - 1)) {
            if (groupsOfFour(text, start, candidateEnd) && isIban(text, start, candidateEnd)) {
                return candidateEnd;
            }
        }
        return -1;
    }

    private static boolean groupsOfFour(String text, int start, int end) {
        int groupStart = start;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == ' ') {
                if (i - groupStart != 4) {
                    return false;
                }
                groupStart = i + 1;
            }
        }
        return true;
    }

    /** ISO 13616: length, check digits 02-98, and the number with the first four characters moved last is 1 mod 97. */
    static boolean isIban(CharSequence text, int start, int end) {
        StringBuilder compact = new StringBuilder(IBAN_MAX_LENGTH);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ') {
                compact.append(c);
            }
        }
        int length = compact.length();
        if (length < IBAN_MIN_LENGTH || length > IBAN_MAX_LENGTH) {
            return false;
        }
        int check = Integer.parseInt(compact, 2, 4, 10);
        if (check < 2 || check > 98) {
            return false;
        }
        int remainder = 0;
        for (int k = 0; k < length; k++) {
            char c = compact.charAt((k + 4) % length);
            if (c >= '0' && c <= '9') {
                remainder = (remainder * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            } else {
                return false;
            }
        }
        return remainder == 1;
    }

    // --- API keys and tokens ---

    private static final Pattern API_KEY = Pattern.compile(
            "(?<![A-Za-z0-9_-])(?:"
                    + "cm_(?:sk|gw|rt)_[A-Za-z0-9_-]{8,}+"                 // Curate-Me
                    + "|sk-[A-Za-z0-9_-]{20,}+"                            // OpenAI / Anthropic style
                    + "|gh[pousr]_[A-Za-z0-9]{20,}+"                       // GitHub classic
                    + "|github_pat_[A-Za-z0-9_]{20,}+"                     // GitHub fine-grained
                    + "|(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"          // AWS access key id
                    + ")"
                    // JWT: header.payload.signature, the header being base64url JSON ({" is eyJ)
                    + "|(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{5,}+\\.[A-Za-z0-9_-]{2,}+\\.[A-Za-z0-9_-]*+");

    static void findApiKeys(String text, List<PiiMatch> out) {
        Matcher m = API_KEY.matcher(text);
        while (m.find()) {
            out.add(new PiiMatch(m.start(), m.end(), PiiDetector.API_KEY));
        }
    }

    // --- private keys ---

    /** RSA, EC, DSA, OPENSSH, ENCRYPTED, plain PKCS#8 and PGP ("PRIVATE KEY BLOCK"). */
    private static final Pattern PRIVATE_KEY_BEGIN = Pattern.compile(
            "-----BEGIN ((?:[A-Z0-9]++ ){0,3})PRIVATE KEY( BLOCK)?-----");

    /**
     * What may follow a BEGIN line whose END never comes (output cut off by the cap): RFC 1421 headers such as
     * {@code Proc-Type: 4,ENCRYPTED}, then base64 lines, real or JSON-escaped ({@code \n}). A single character class
     * keeps this iterative on a long body.
     */
    private static final Pattern UNTERMINATED_BODY = Pattern.compile(
            "(?:(?:\\r?\\n|\\\\n)[A-Za-z][A-Za-z-]{0,40}+:[^\\r\\n\\\\]*+)*+[A-Za-z0-9+/=\\r\\n\\\\]*+");

    static void findPrivateKeys(String text, List<PiiMatch> out) {
        Matcher begin = PRIVATE_KEY_BEGIN.matcher(text);
        // where each END marker is next seen; remembered so many BEGINs without an END stay linear
        Map<String, Integer> nextEnd = new HashMap<>();
        int from = 0;
        while (from < text.length() && begin.find(from)) {
            String endMarker = "-----END " + begin.group(1) + "PRIVATE KEY" + (begin.group(2) == null ? "" : " BLOCK")
                    + "-----";
            Integer known = nextEnd.get(endMarker);
            int endAt = known != null && (known < 0 || known >= begin.end()) ? known : text.indexOf(endMarker, begin.end());
            nextEnd.put(endMarker, endAt);
            int blockEnd;
            if (endAt >= 0) {
                blockEnd = endAt + endMarker.length();
            } else {
                Matcher body = UNTERMINATED_BODY.matcher(text).region(begin.end(), text.length());
                blockEnd = body.lookingAt() ? body.end() : begin.end();
                while (blockEnd > begin.end() && Character.isWhitespace(text.charAt(blockEnd - 1))) {
                    blockEnd--; // the line break after the last body line is not part of the key
                }
            }
            out.add(new PiiMatch(begin.start(), blockEnd, PiiDetector.PRIVATE_KEY));
            from = blockEnd;
        }
    }
}
