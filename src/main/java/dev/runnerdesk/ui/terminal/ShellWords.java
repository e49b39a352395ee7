package dev.runnerdesk.ui.terminal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into argv the way a POSIX shell does, without running a shell: words split on
 * blanks; 'single quotes' keep everything literally; "double quotes" keep blanks and allow \" \\ \$ \`;
 * a backslash outside quotes escapes the next character. No variables, globs, pipes or redirections —
 * for those, run {@code sh -c '…'} explicitly.
 */
final class ShellWords {
    private ShellWords() {
    }

    /** The words of {@code line}; throws {@link IllegalArgumentException} naming what is unbalanced. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case ' ', '\t' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int end = line.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed single quote");
                    }
                    word.append(line, i + 1, end);
                    i = end;
                    inWord = true;
                }
                case '"' -> {
                    i++;
                    while (i < line.length() && line.charAt(i) != '"') {
                        char d = line.charAt(i);
                        if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                            d = line.charAt(++i);
                        }
                        word.append(d);
                        i++;
                    }
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unclosed double quote");
                    }
                    inWord = true;
                }
                case '\\' -> {
                    if (i + 1 >= line.length()) {
                        throw new IllegalArgumentException("a backslash at the end of the line");
                    }
                    word.append(line.charAt(++i));
                    inWord = true;
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
