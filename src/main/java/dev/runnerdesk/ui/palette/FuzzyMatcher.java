package dev.runnerdesk.ui.palette;

import java.util.List;
import java.util.Locale;

/**
 * How well a typed query matches a text, for the command palette: case-insensitive, and ranked so that a prefix beats
 * a match at the start of a word, which beats a match inside a word, which beats letters found in order with gaps
 * ("nwr" → "new runner", not scattered too far apart). Within a rank, a shorter text and (for gaps) a tighter match come first.
 */
public final class FuzzyMatcher {
    /** No match. */
    public static final int NONE = -1;
    static final int EXACT = 5_000;
    static final int PREFIX = 4_000;
    static final int WORD_START = 3_000;
    static final int INSIDE = 2_000;
    static final int SUBSEQUENCE = 1_000;

    private FuzzyMatcher() {
    }

    /** The score of {@code query} against {@code text}: {@link #NONE}, or higher for a better match. */
    public static int score(String query, String text) {
        String q = normalize(query);
        String t = normalize(text);
        if (q.isEmpty()) {
            return 0;
        }
        if (t.isEmpty()) {
            return NONE;
        }
        // a shorter text is the closer match within a rank (at most 999 points of it)
        int shortness = Math.max(0, 999 - t.length());
        if (t.equals(q)) {
            return EXACT + shortness;
        }
        if (t.startsWith(q)) {
            return PREFIX + shortness;
        }
        int at = t.indexOf(q);
        while (at > 0) {
            if (isWordStart(t, at)) {
                return WORD_START + shortness;
            }
            at = t.indexOf(q, at + 1);
        }
        if (t.contains(q)) {
            return INSIDE + shortness;
        }
        int gaps = subsequenceGaps(q, t);
        // letters scattered over a long text (a runner id) match nearly anything: that is noise, not a match
        return gaps < 0 || gaps > 2 * q.length() ? NONE : SUBSEQUENCE + Math.max(0, 999 - gaps * 20 - t.length());
    }

    /**
     * The score of a query of several words against the fields of one item (a runner's id, provider, profile, state):
     * every word must match some field; the item's score is the sum of each word's best field.
     */
    public static int score(String query, List<String> fields) {
        String q = normalize(query);
        if (q.isEmpty()) {
            return 0;
        }
        int total = 0;
        for (String word : q.split(" ")) {
            int best = NONE;
            for (String field : fields) {
                best = Math.max(best, score(word, field));
            }
            if (best == NONE) {
                return NONE;
            }
            total += best;
        }
        // the whole query matching one field (e.g. "new runner") beats its words matching apart
        for (String field : fields) {
            int whole = score(q, field);
            if (whole != NONE && q.contains(" ")) {
                total = Math.max(total, whole * 2);
            }
        }
        return total;
    }

    /** The letters of {@code q} in order in {@code t}: how many letters were skipped between them, or -1. */
    private static int subsequenceGaps(String q, String t) {
        int gaps = 0;
        int ti = 0;
        int last = -1;
        for (int qi = 0; qi < q.length(); qi++) {
            char c = q.charAt(qi);
            while (ti < t.length() && t.charAt(ti) != c) {
                ti++;
            }
            if (ti == t.length()) {
                return -1;
            }
            if (last >= 0) {
                gaps += ti - last - 1;
            }
            last = ti;
            ti++;
        }
        return gaps;
    }

    private static boolean isWordStart(String t, int at) {
        char before = t.charAt(at - 1);
        return !Character.isLetterOrDigit(before);
    }

    private static String normalize(String s) {
        return s == null ? "" : s.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
