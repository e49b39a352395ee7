package dev.runnerdesk.core;

import java.util.List;

/** A page of runners and the number of runners matching the query in all. */
public record RunnerPage(List<Runner> runners, long total, int limit, int offset) {
    public RunnerPage {
        runners = List.copyOf(runners);
    }
}
