package dev.runnerdesk.provider.e2b;

import java.util.List;
import java.util.regex.Pattern;

/** argv as one {@code bash -c} command line: each word kept as it is, whatever characters it holds. */
public final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    public static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String word : argv) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(quote(word));
        }
        return line.toString();
    }

    /** One word: plain words as they are, others in single quotes (a quote inside becomes {@code '"'"'}). */
    public static String quote(String word) {
        if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
