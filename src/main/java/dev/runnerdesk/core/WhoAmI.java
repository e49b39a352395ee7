package dev.runnerdesk.core;

/** The caller as the backend sees it: key or user name, role, and whether managed runners are enabled. */
public record WhoAmI(String name, Role role, boolean betaAccess, String backend) {
}
