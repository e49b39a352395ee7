package dev.runnerdesk.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A terminal recording in asciicast v2: the screen size and the timed output frames, for replay. */
public record Asciicast(int width, int height, List<Frame> frames) {
    /** {@code code} is "o" (output), "i" (input) or "r" (resize, data "COLSxROWS"). */
    public record Frame(double seconds, String code, String data) {
    }

    private static final Pattern SIZE = Pattern.compile("\"(width|height)\"\\s*:\\s*(\\d+)");
    private static final Pattern EVENT = Pattern.compile("^\\[\\s*([0-9.eE+-]+)\\s*,\\s*\"([a-z])\"\\s*,\\s*(\".*\")\\s*]$");

    public Asciicast {
        frames = List.copyOf(frames);
    }

    /** Parses a recording; lines it cannot read are skipped, a missing header is an error. */
    public static Asciicast parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0 || !lines[0].trim().startsWith("{") || !lines[0].contains("\"version\"")) {
            throw new RunnerException.InvalidRequest("recording", "not an asciicast v2 recording (no header line)");
        }
        int width = 80;
        int height = 24;
        Matcher size = SIZE.matcher(lines[0]);
        while (size.find()) {
            int n = Integer.parseInt(size.group(2));
            if (size.group(1).equals("width")) {
                width = n;
            } else {
                height = n;
            }
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher m = EVENT.matcher(lines[i].trim());
            if (m.matches()) {
                try {
                    frames.add(new Frame(Double.parseDouble(m.group(1)), m.group(2), unquote(m.group(3))));
                } catch (IllegalArgumentException skipped) {
                    // a damaged line: replay what can be read
                }
            }
        }
        return new Asciicast(width, height, frames);
    }

    /** Decodes a JSON string literal. */
    static String unquote(String literal) {
        StringBuilder out = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
        return out.toString();
    }
}
