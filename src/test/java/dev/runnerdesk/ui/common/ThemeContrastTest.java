package dev.runnerdesk.ui.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WCAG AA contrast of the theme's colours, in light and dark: every text colour of the app's stylesheet on the
 * background it is drawn on (its rule's, else the surfaces text lies on), and the AtlantaFX Primer pairs the app uses
 * for text (muted and subtle text, links, danger/success/warning labels, buttons, notifications): at least 4.5:1;
 * icons that carry meaning (state, problem) and UI component borders at least 3:1. Colours come from the AtlantaFX
 * stylesheets themselves, with the app stylesheet's own {@code .root} variables over them, as JavaFX applies them;
 * translucent backgrounds are laid over the surface below.
 */
class ThemeContrastTest {
    static final double TEXT = 4.5;
    static final double NON_TEXT = 3.0;
    private static final Pattern RULE = Pattern.compile("([^{}]+)\\{([^}]*)}");
    private static final Pattern DECLARATION = Pattern.compile("(-[-a-z0-9]+)\\s*:\\s*([^;]+);");
    /** The surfaces text is laid on where its rule sets no background: windows, the rail and status bar, table stripes. */
    private static final List<String> SURFACES = List.of("-color-bg-default", "-color-bg-subtle");

    /** A colour pair that must reach {@code min}. */
    record Pair(String where, String fg, String bg, double min) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"primer-light", "primer-dark"})
    void everyTextAndIconColourReachesAaContrast(String theme) throws IOException {
        String appCss = withoutComments(read(AppStylesheet.class, "/dev/runnerdesk/ui/app.css"));
        Map<String, String> vars = variables(withoutComments(read(ThemeContrastTest.class, "/atlantafx/base/theme/" + theme + ".css")));
        vars.putAll(rootVariables(appCss)); // the app's .root overrides the theme's, as in the scene
        List<Pair> pairs = new ArrayList<>(atlantaPairs());
        pairs.addAll(appPairs(appCss));
        pairs.addAll(inputBorders(appCss));
        List<String> failures = new ArrayList<>();
        for (Pair p : pairs) {
            double[] bg = over(color(p.bg(), vars), color("-color-bg-default", vars));
            double[] fg = over(color(p.fg(), vars), bg);
            double ratio = ratio(fg, bg);
            if (ratio < p.min()) {
                failures.add(String.format(Locale.ROOT, "%s: %s on %s = %.2f:1 (needs %.1f)", p.where(), p.fg(), p.bg(), ratio, p.min()));
            }
        }
        assertTrue(pairs.size() > 40, "the pairs were read: " + pairs.size());
        assertTrue(failures.isEmpty(), theme + " has " + failures.size() + " colour pairs under WCAG AA:\n"
                + String.join("\n", failures));
    }

    /** The AtlantaFX colours the app lays text on, by the style classes it uses. */
    private static List<Pair> atlantaPairs() {
        List<Pair> pairs = new ArrayList<>();
        for (String surface : SURFACES) {
            for (String text : List.of("-color-fg-default", "-color-fg-muted", "-color-fg-subtle", "-color-accent-fg",
                    "-color-danger-fg", "-color-success-fg", "-color-warning-fg")) {
                pairs.add(new Pair("text (Styles " + text.replace("-color-", "") + ")", text, surface, TEXT));
            }
        }
        pairs.add(new Pair("accent button", "-color-fg-emphasis", "-color-accent-emphasis", TEXT));
        pairs.add(new Pair("danger button (hover)", "-color-fg-emphasis", "-color-danger-emphasis", TEXT));
        pairs.add(new Pair("link", "-color-accent-fg", "-color-bg-default", TEXT));
        pairs.add(new Pair("notification", "-color-fg-default", "-color-bg-subtle", TEXT));
        pairs.add(new Pair("focus ring", "-color-accent-emphasis", "-color-bg-default", NON_TEXT));
        pairs.add(new Pair("selected row text", "-color-fg-default", "-color-accent-subtle", TEXT));
        for (String tone : List.of("accent", "warning", "danger")) {
            pairs.add(new Pair("banner " + tone, "-color-fg-default", "-color-" + tone + "-subtle", TEXT));
        }
        return pairs;
    }

    /**
     * The borders that show where an input is (text fields, check boxes, combo boxes, spinners): the colour the app
     * stylesheet gives them, else the theme's border colour.
     */
    private static List<Pair> inputBorders(String css) {
        Map<String, String> given = new HashMap<>();
        Matcher m = RULE.matcher(css);
        while (m.find()) {
            Matcher d = DECLARATION.matcher(m.group(2));
            while (d.find()) {
                if (d.group(1).equals("-color-border-default")) {
                    for (String selector : m.group(1).split(",")) {
                        given.put(selector.trim(), d.group(2).trim());
                    }
                }
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (String input : List.of(".text-input", ".check-box > .box", ".radio-button > .radio", ".combo-box-base",
                ".choice-box", ".spinner")) {
            String border = given.getOrDefault(input, "-color-border-default");
            SURFACES.forEach(s -> pairs.add(new Pair(input + " border", border, s, NON_TEXT)));
        }
        return pairs;
    }

    /** Every text and icon colour of the app's stylesheet on its background. */
    static List<Pair> appPairs(String css) {
        Map<String, Map<String, String>> rules = new LinkedHashMap<>();
        Matcher m = RULE.matcher(css);
        while (m.find()) {
            Map<String, String> declarations = new LinkedHashMap<>();
            Matcher d = DECLARATION.matcher(m.group(2));
            while (d.find()) {
                declarations.put(d.group(1), d.group(2).trim());
            }
            for (String selector : m.group(1).split(",")) {
                rules.merge(selector.trim(), declarations, (a, b) -> {
                    Map<String, String> both = new LinkedHashMap<>(a);
                    both.putAll(b);
                    return both;
                });
            }
        }
        List<Pair> pairs = new ArrayList<>();
        rules.forEach((selector, declarations) -> {
            boolean icon = selector.endsWith(".ikonli-font-icon");
            String fg = declarations.getOrDefault("-fx-text-fill", declarations.get(icon ? "-fx-icon-color" : "-fx-fill"));
            if (fg == null || !fg.startsWith("-color-") || selector.equals(".root")) {
                return;
            }
            String bg = background(declarations);
            if (bg == null) {
                bg = background(rules.getOrDefault(owner(selector), Map.of()));
            }
            double min = icon || selector.startsWith(".health-") ? NON_TEXT : TEXT;
            if (bg != null) {
                pairs.add(new Pair(selector, fg, bg, min));
            } else {
                SURFACES.forEach(s -> pairs.add(new Pair(selector, fg, s, min)));
            }
        });
        return pairs;
    }

    /** The selector whose node holds this one's background: ".a .ikonli-font-icon" → ".a", ".x > .search-hit" → ".search-hit". */
    private static String owner(String selector) {
        String s = selector.replaceAll("\\s*>\\s*", " ").trim();
        if (s.endsWith(".ikonli-font-icon")) {
            return s.substring(0, s.length() - ".ikonli-font-icon".length()).trim();
        }
        String[] parts = s.split("\\s+");
        return parts[parts.length - 1];
    }

    private static String background(Map<String, String> declarations) {
        String bg = declarations.get("-fx-background-color");
        if (bg == null) {
            return null;
        }
        String[] layers = bg.split(",");
        String face = layers[layers.length - 1].trim();
        return face.startsWith("-color-") ? face : null;
    }

    private static Map<String, String> variables(String css) {
        Matcher root = Pattern.compile("\\.root\\s*\\{([^}]*)}").matcher(css);
        Map<String, String> vars = new HashMap<>();
        if (root.find()) {
            Matcher d = DECLARATION.matcher(root.group(1));
            while (d.find()) {
                vars.put(d.group(1), d.group(2).trim());
            }
        }
        return vars;
    }

    private static Map<String, String> rootVariables(String css) {
        Map<String, String> vars = variables(css);
        vars.keySet().removeIf(k -> !k.startsWith("-color-"));
        return vars;
    }

    /** RGBA in 0..1 of a CSS value: a variable, #rgb, #rrggbb, rgb(), rgba(), transparent. */
    static double[] color(String value, Map<String, String> vars) {
        String v = value.trim();
        for (int depth = 0; v.startsWith("-color-") || v.startsWith("-fx-"); depth++) {
            String next = vars.get(v);
            if (next == null || depth > 20) {
                throw new IllegalArgumentException("unknown colour " + value);
            }
            v = next.trim();
        }
        if (v.equals("transparent")) {
            return new double[] {0, 0, 0, 0};
        }
        if (v.startsWith("#")) {
            String hex = v.substring(1);
            if (hex.length() == 3) {
                hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
            }
            int rgb = Integer.parseInt(hex.substring(0, 6), 16);
            return new double[] {(rgb >> 16 & 255) / 255.0, (rgb >> 8 & 255) / 255.0, (rgb & 255) / 255.0, 1};
        }
        Matcher f = Pattern.compile("rgba?\\(([^)]*)\\)").matcher(v);
        if (f.matches()) {
            String[] parts = f.group(1).split(",");
            return new double[] {Double.parseDouble(parts[0].trim()) / 255, Double.parseDouble(parts[1].trim()) / 255,
                    Double.parseDouble(parts[2].trim()) / 255, parts.length > 3 ? Double.parseDouble(parts[3].trim()) : 1};
        }
        throw new IllegalArgumentException("not a colour: " + value + " (" + v + ")");
    }

    /** {@code top} laid over an opaque {@code below}. */
    static double[] over(double[] top, double[] below) {
        double a = top[3];
        return new double[] {top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1};
    }

    /** WCAG 2 contrast ratio of two opaque colours. */
    static double ratio(double[] a, double[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(double[] c) {
        double[] lin = new double[3];
        for (int i = 0; i < 3; i++) {
            lin[i] = c[i] <= 0.03928 ? c[i] / 12.92 : Math.pow((c[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    }

    private static String withoutComments(String css) {
        return css.replaceAll("(?s)/\\*.*?\\*/", "");
    }

    private static String read(Class<?> near, String resource) throws IOException {
        try (InputStream in = Objects.requireNonNull(near.getResourceAsStream(resource), resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
