package dev.runnerdesk.server;

import dev.runnerdesk.core.RunnerService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's routes as a table of (method, path pattern, handler). A pattern is the path's segments, each a literal or
 * a {@code {name}} that takes any one segment; a path matches the first route of its method whose pattern it fits.
 */
final class RouteTable {
    /** Handles one matched request; {@code path} holds the pattern's named segments. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpCall call, RunnerService service, Map<String, String> path) throws IOException;
    }

    /** Whether a route needs a valid API key; the open ones are answered before authentication. */
    enum Access { OPEN, KEY }

    record Route(String method, List<String> pattern, Access access, Handler handler) {
        /** The named segments when {@code segments} fits the pattern. */
        Optional<Map<String, String>> match(List<String> segments) {
            if (segments.size() != pattern.size()) {
                return Optional.empty();
            }
            Map<String, String> named = new LinkedHashMap<>();
            for (int i = 0; i < pattern.size(); i++) {
                String part = pattern.get(i);
                if (part.startsWith("{") && part.endsWith("}")) {
                    named.put(part.substring(1, part.length() - 1), segments.get(i));
                } else if (!part.equals(segments.get(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(named);
        }
    }

    /** What a request found: its route, or that the path exists with other methods, or nothing. */
    sealed interface Match {
        /** Whether answering needs a key: an unknown path does, so it tells an unauthenticated caller nothing. */
        Access access();

        record Found(Route route, Map<String, String> path) implements Match {
            @Override
            public Access access() {
                return route.access();
            }
        }

        /** The path exists but not for this method: 405 with these in {@code Allow}. */
        record WrongMethod(List<String> allowed, Access access) implements Match {
        }

        record None() implements Match {
            @Override
            public Access access() {
                return Access.KEY;
            }
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /** A route any caller may use, without a key. */
    RouteTable open(String method, String pattern, Handler handler) {
        return add(method, pattern, Access.OPEN, handler);
    }

    RouteTable add(String method, String pattern, Handler handler) {
        return add(method, pattern, Access.KEY, handler);
    }

    private RouteTable add(String method, String pattern, Access access, Handler handler) {
        List<String> parts = new ArrayList<>();
        for (String s : pattern.split("/")) {
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        routes.add(new Route(method, List.copyOf(parts), access, handler));
        return this;
    }

    Match match(String method, List<String> segments) {
        List<String> allowed = new ArrayList<>();
        Access access = Access.KEY;
        for (Route route : routes) {
            Optional<Map<String, String>> path = route.match(segments);
            if (path.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match.Found(route, path.get());
            }
            if (!allowed.contains(route.method())) {
                allowed.add(route.method());
            }
            access = route.access() == Access.OPEN ? Access.OPEN : access;
        }
        return allowed.isEmpty() ? new Match.None() : new Match.WrongMethod(List.copyOf(allowed), access);
    }
}
