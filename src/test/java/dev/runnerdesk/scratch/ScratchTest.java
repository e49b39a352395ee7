package dev.runnerdesk.scratch;

import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.gateway.GatewayConnection;
import dev.runnerdesk.gateway.GatewayRunnerService;
import dev.runnerdesk.ui.StreamedAnswer;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

class ScratchTest {
    @Test
    void t() throws Exception {
        MockWebServer server = new MockWebServer();
        StreamedAnswer answers = new StreamedAnswer();
        server.start(0);
        GatewayRunnerService client = new GatewayRunnerService(GatewayConnection.of(server.url("/").toString(), "cm_sk_abcdefabcdef0123", false).withDeadline(java.time.Duration.ofSeconds(5)));
        int[][] cases = {{3, 200, 3}, {200, 200, 100}, {100, 200, 100}, {101, 200, 100}, {1, 20000, 1}, {5000, 1670, 100}};
        for (int[] c : cases) {
            server.enqueue(answers.list(c[0], c[1], c[2], 0));
            long t0 = System.nanoTime();
            try { System.out.println(java.util.Arrays.toString(c) + " -> " + client.list(RunnerQuery.firstPage()).runners().size()); }
            catch (Throwable e) { System.out.println(java.util.Arrays.toString(c) + " failed " + e); }
            System.out.println("ms " + (System.nanoTime()-t0)/1000000 + " requests " + server.getRequestCount());
        }
        server.close();
    }
}
