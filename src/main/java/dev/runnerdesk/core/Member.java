package dev.runnerdesk.core;

import java.util.Optional;

/** Someone (or something) with a role on a backend: the person at this computer, or an API key. */
public record Member(String name, Role role, String kind, Optional<String> fingerprint) {
    public static final String LOCAL_USER = "local user";
    public static final String API_KEY = "API key";
}
