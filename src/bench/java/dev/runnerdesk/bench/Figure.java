package dev.runnerdesk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of the results: our figure, the floor it is compared with, how they compare, and the target.
 * A figure that could not be measured says why instead of passing silently.
 */
record Figure(String name, String ours, String floor, String comparison, String target, Boolean pass, String note,
              double oursValue, double floorValue) {

    /** A target checked on the measured numbers. */
    record Check(String text, boolean pass) {
    }

    static Figure notMeasured(String name, String reason) {
        return new Figure(name, "—", "—", "—", "—", null, "not measured: " + reason, Double.NaN, Double.NaN);
    }

    /** ours / floor must be at most {@code max} (plus any further checks). */
    static Figure ratioAtMost(String name, double ours, double floor, String unit, String floorName, double max,
                              String note, Check... more) {
        double ratio = ours / floor;
        List<Check> checks = new ArrayList<>(List.of(new Check("≤ " + num(max) + "×", ratio <= max)));
        checks.addAll(List.of(more));
        return of(name, ours, floor, unit, floorName, num(ratio) + "×", checks, note);
    }

    /** ours / floor must be at least {@code min} (plus any further checks). */
    static Figure ratioAtLeast(String name, double ours, double floor, String unit, String floorName, double min, String note,
                               Check... more) {
        double ratio = ours / floor;
        List<Check> checks = new ArrayList<>(List.of(new Check("≥ " + num(min) + "×", ratio >= min)));
        checks.addAll(List.of(more));
        return of(name, ours, floor, unit, floorName, num(ratio) + "×", checks, note);
    }

    /** ours − floor must be at most {@code max}. */
    static Figure differenceAtMost(String name, double ours, double floor, String unit, String floorName, double max, String note) {
        double diff = ours - floor;
        return of(name, ours, floor, unit, floorName, (diff >= 0 ? "+" : "") + num(diff) + " " + unit,
                List.of(new Check("≤ +" + num(max) + " " + unit, diff <= max)), note);
    }

    /** A figure with no floor: only absolute checks. */
    static Figure absolute(String name, double ours, String unit, String note, Check... checks) {
        return new Figure(name, num(ours) + " " + unit, "—", "—", join(List.of(checks)), List.of(checks).stream().allMatch(Check::pass),
                note, ours, Double.NaN);
    }

    private static Figure of(String name, double ours, double floor, String unit, String floorName, String comparison,
                             List<Check> checks, String note) {
        return new Figure(name, num(ours) + " " + unit, num(floor) + " " + unit + " (" + floorName + ")", comparison,
                join(checks), checks.stream().allMatch(Check::pass), note, ours, floor);
    }

    private static String join(List<Check> checks) {
        return String.join(" and ", checks.stream().map(Check::text).toList());
    }

    String verdict() {
        return pass == null ? "not measured" : pass ? "pass" : "MISS";
    }

    /** A number as the table shows it: three significant digits, thousands separated. */
    static String num(double v) {
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
