package dev.runnerdesk.ui.metrics;

/** What tests of other packages read of a Metrics tab. */
public final class MetricsAccess {
    private MetricsAccess() {
    }

    public static boolean polling(MetricsController metrics) {
        return metrics.polling();
    }

    public static int samples(MetricsController metrics) {
        return metrics.samples().size();
    }
}
