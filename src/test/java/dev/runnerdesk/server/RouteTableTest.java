package dev.runnerdesk.server;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** How a request finds its row of the route table. */
class RouteTableTest {
    private static final RouteTable.Handler NOTHING = (call, service, path) -> { };
    private final RouteTable table = new RouteTable()
            .open("GET", "/health", NOTHING)
            .add("GET", "/gateway/admin/runners", NOTHING)
            .add("POST", "/gateway/admin/runners/", NOTHING)
            .add("GET", "/gateway/admin/runners/{runner_id}", NOTHING)
            .add("POST", "/gateway/admin/runners/{runner_id}/start", NOTHING)
            .add("GET", "/gateway/admin/runners/{runner_id}/sessions/{session_id}/recordings/{index}", NOTHING);

    private static List<String> path(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void namedSegmentsTakeAnyOneSegmentAndLiteralsOnlyThemselves() {
        RouteTable.Match.Found found = assertInstanceOf(RouteTable.Match.Found.class,
                table.match("GET", path("/gateway/admin/runners/runner_abc/sessions/sess_def/recordings/2")));
        assertEquals(Map.of("runner_id", "runner_abc", "session_id", "sess_def", "index", "2"), found.path());
        assertEquals(Map.of("runner_id", "start"), assertInstanceOf(RouteTable.Match.Found.class,
                table.match("GET", path("/gateway/admin/runners/start"))).path(), "an id that reads like an action is an id");
        assertInstanceOf(RouteTable.Match.None.class, table.match("GET", path("/gateway/admin/runners/r/sessions/s/recording/2")));
        assertInstanceOf(RouteTable.Match.None.class, table.match("POST", path("/gateway/admin/runners/r/start/now")));
    }

    @Test
    void aPathWithRowsOfOtherMethodsIsAWrongMethodListingThemInTableOrder() {
        RouteTable.Match.WrongMethod wrong = assertInstanceOf(RouteTable.Match.WrongMethod.class,
                table.match("DELETE", path("/gateway/admin/runners/")));
        assertEquals(List.of("GET", "POST"), wrong.allowed());
        assertEquals(RouteTable.Access.KEY, wrong.access());
        assertEquals(List.of("POST"), assertInstanceOf(RouteTable.Match.WrongMethod.class,
                table.match("GET", path("/gateway/admin/runners/r/start"))).allowed());
    }

    @Test
    void onlyOpenRowsAreAnsweredWithoutAKeyAndAnUnknownPathNeedsOne() {
        assertEquals(RouteTable.Access.OPEN, table.match("GET", path("/health")).access());
        assertEquals(RouteTable.Access.OPEN, table.match("POST", path("/health")).access(), "its 405 needs no key either");
        assertEquals(RouteTable.Access.KEY, table.match("GET", path("/gateway/admin/runners")).access());
        assertEquals(RouteTable.Access.KEY, table.match("GET", path("/nowhere")).access());
    }
}
