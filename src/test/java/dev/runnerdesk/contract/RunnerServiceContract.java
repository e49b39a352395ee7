package dev.runnerdesk.contract;

import dev.runnerdesk.core.AuditChain;
import dev.runnerdesk.core.AuditEvent;
import dev.runnerdesk.core.AuditProgress;
import dev.runnerdesk.core.AuditStatus;
import dev.runnerdesk.core.ChainVerification;
import dev.runnerdesk.core.CreateRunnerRequest;
import dev.runnerdesk.core.EventListener;
import dev.runnerdesk.core.EventPage;
import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.ExecRequest;
import dev.runnerdesk.core.ExecResult;
import dev.runnerdesk.core.Member;
import dev.runnerdesk.core.NetworkMode;
import dev.runnerdesk.core.OutputChunk;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Policies;
import dev.runnerdesk.core.ProfilePolicy;
import dev.runnerdesk.core.ProviderInfo;
import dev.runnerdesk.core.ProviderType;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.Runner;
import dev.runnerdesk.core.RunnerException;
import dev.runnerdesk.core.RunnerPage;
import dev.runnerdesk.core.RunnerQuery;
import dev.runnerdesk.core.RunnerService;
import dev.runnerdesk.core.RunnerState;
import dev.runnerdesk.core.Session;
import dev.runnerdesk.core.Subscription;
import dev.runnerdesk.core.Terminal;
import dev.runnerdesk.core.TerminalSize;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.testutil.Await;
import dev.runnerdesk.testutil.TerminalScreen;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour of {@link RunnerService}, defined once and run against every implementation
 * (DESIGN §2 rule 3). Subclasses hand over a fresh backend per test and a service per role ({@link #admin()},
 * {@link #as(Role)}); workspace files and metrics are in {@link WorkspaceFilesContract}, which this extends.
 */
public abstract class RunnerServiceContract extends WorkspaceFilesContract {

    /** What {@code argv} (an {@code echo}) prints with {@link #providerType()}. */
    protected String expectedStdout(List<String> argv) {
        return "fake output";
    }

    private Runner fakeRunner() {
        return admin().create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 3600));
    }

    private List<String> eventTypes(String runnerId) {
        List<String> types = new ArrayList<>();
        for (AuditEvent e : admin().events(EventQuery.ofRunner(runnerId, 1000)).events()) {
            types.add(e.eventType());
        }
        Collections.reverse(types);
        return types;
    }

    private static void assertMessageContains(RunnerException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" should mention " + part);
        }
    }

    // --- lifecycle -------------------------------------------------------------------------------

    @Test
    void createReturnsAReadyRunnerWithTheSeedsFields() {
        Runner r = fakeRunner();
        assertTrue(r.runnerId().matches("runner_[0-9a-f]{12}"), r.runnerId());
        assertEquals(RunnerState.READY, r.state());
        assertEquals(providerType(), r.providerType());
        assertEquals(ToolProfile.LOCKED, r.toolProfile());
        assertEquals(3600, r.ttlSeconds());
        assertEquals(Duration.ofSeconds(3600), Duration.between(r.createdAt(), r.expiresAt()));
        assertTrue(r.activeSession().isEmpty());
        assertEquals(r, admin().get(r.runnerId()));
    }

    @Test
    void listIsNewestFirstAndFiltersByState() {
        Runner first = fakeRunner();
        Runner second = fakeRunner();
        admin().terminate(first.runnerId());
        RunnerPage all = admin().list(RunnerQuery.firstPage());
        assertEquals(2, all.total());
        assertEquals(List.of(second.runnerId(), first.runnerId()), all.runners().stream().map(Runner::runnerId).toList());
        RunnerPage ready = admin().list(new RunnerQuery(Optional.of(RunnerState.READY), 10, 0));
        assertEquals(List.of(second.runnerId()), ready.runners().stream().map(Runner::runnerId).toList());
        assertEquals(1, ready.total());
        RunnerPage paged = admin().list(new RunnerQuery(Optional.empty(), 1, 1));
        assertEquals(List.of(first.runnerId()), paged.runners().stream().map(Runner::runnerId).toList());
        assertEquals(2, paged.total());
    }

    @Test
    void theSeedsFlowRunsAndLeavesItsEventsInOrder() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        assertTrue(s.sessionId().matches("sess_[0-9a-f]{12}"), s.sessionId());
        assertEquals(r.runnerId(), s.runnerId());
        assertTrue(s.isActive());
        Runner running = admin().get(r.runnerId());
        assertEquals(RunnerState.RUNNING, running.state());
        assertEquals(Optional.of(s.sessionId()), running.activeSession().map(Session::sessionId));

        ExecResult result = admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "Hello from the sandbox!"), 30));
        assertEquals(expectedStdout(List.of("echo", "Hello from the sandbox!")), result.stdout());
        assertEquals(0, result.exitCode());
        assertFalse(result.timedOut());
        assertTrue(result.commandId().startsWith("cmd_"));

        Session stopped = admin().stopSession(r.runnerId(), s.sessionId());
        assertFalse(stopped.isActive());
        assertEquals(RunnerState.READY, admin().get(r.runnerId()).state());

        Runner terminated = admin().terminate(r.runnerId());
        assertEquals(RunnerState.TERMINATED, terminated.state());
        assertEquals(List.of(EventTypes.RUNNER_CREATED, EventTypes.RUNNER_READY, EventTypes.SESSION_STARTED,
                EventTypes.COMMAND_EXECUTED, EventTypes.SESSION_STOPPED, EventTypes.RUNNER_TERMINATED), eventTypes(r.runnerId()));
    }

    @Test
    void commandEventsCarryArgvExitCodeAndSizesButNoOutput() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        ExecResult result = admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "hi")));
        AuditEvent executed = admin().events(EventQuery.ofRunner(r.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.COMMAND_EXECUTED, executed.eventType());
        assertEquals(Optional.of(s.sessionId()), executed.sessionId());
        assertEquals(List.of("echo", "hi"), executed.data().get("argv"));
        assertEquals(0, ((Number) executed.data().get("exit_code")).intValue());
        assertEquals(result.commandId(), executed.data().get("command_id"));
        assertEquals(expectedStdout(List.of("echo", "hi")).length(), ((Number) executed.data().get("stdout_bytes")).intValue());
        assertFalse(executed.data().containsKey("stdout"));
    }

    @Test
    void aSecondStartIsAConflictNamingTheActiveSession() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        RunnerException e = assertThrows(RunnerException.Conflict.class, () -> admin().startSession(r.runnerId(), Optional.empty()));
        assertMessageContains(e, r.runnerId(), s.sessionId());
    }

    @Test
    void ttlOverrideSetsTheSessionsExpiry() {
        Runner r = admin().create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 600));
        Session s = admin().startSession(r.runnerId(), Optional.of(7200));
        assertEquals(Duration.ofSeconds(7200), Duration.between(s.startedAt(), s.expiresAt()));
        assertFalse(admin().get(r.runnerId()).expiresAt().isBefore(s.expiresAt()), "the runner lives as long as its session");
        Runner other = fakeRunner();
        assertThrows(RunnerException.InvalidRequest.class, () -> admin().startSession(other.runnerId(), Optional.of(10)));
        assertEquals(RunnerState.READY, admin().get(other.runnerId()).state());
    }

    @Test
    void aSessionTtlOverTheProfilesMaximumIsRefusedNamingTheField() {
        Policies policies = admin().policies();
        ProfilePolicy p = policies.profile(ToolProfile.LOCKED);
        Map<ToolProfile, ProfilePolicy> changed = new EnumMap<>(policies.profiles());
        changed.put(ToolProfile.LOCKED, new ProfilePolicy(p.profile(), p.allowedCommands(), p.networkMode(),
                p.egressAllowlist(), 3600, p.maxExecTimeoutSeconds(), p.outputCapBytes(), p.recordInput(), p.limits(),
                p.recordingCapMib(), p.recordingReaders()));
        admin().updatePolicies(new Policies(changed, policies.pii()));
        Runner r = admin().create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 600));
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                () -> admin().startSession(r.runnerId(), Optional.of(7200)));
        assertEquals(Optional.of("ttl_override"), e.field());
        assertMessageContains(e, "3,600");
        assertEquals(RunnerState.READY, admin().get(r.runnerId()).state(), "no session started");
    }

    @Test
    void execNeedsTheActiveSessionOfThatRunner() {
        Runner r = fakeRunner();
        Runner other = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        Session otherSession = admin().startSession(other.runnerId(), Optional.empty());
        ExecRequest echo = new ExecRequest(List.of("echo", "x"));
        assertThrows(RunnerException.NotFound.class, () -> admin().exec(r.runnerId(), "sess_000000000000", echo));
        assertThrows(RunnerException.NotFound.class, () -> admin().exec(r.runnerId(), otherSession.sessionId(), echo));
        admin().stopSession(r.runnerId(), s.sessionId());
        RunnerException e = assertThrows(RunnerException.Conflict.class, () -> admin().exec(r.runnerId(), s.sessionId(), echo));
        assertMessageContains(e, s.sessionId(), "stopped");
        assertThrows(RunnerException.Conflict.class, () -> admin().stopSession(r.runnerId(), s.sessionId()));
    }

    @Test
    void terminateEndsTheSessionAndIsFinal() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        admin().terminate(r.runnerId());
        ExecRequest echo = new ExecRequest(List.of("echo", "x"));
        assertThrows(RunnerException.Conflict.class, () -> admin().exec(r.runnerId(), s.sessionId(), echo));
        RunnerException again = assertThrows(RunnerException.Conflict.class, () -> admin().terminate(r.runnerId()));
        assertMessageContains(again, "terminated");
        assertThrows(RunnerException.Conflict.class, () -> admin().startSession(r.runnerId(), Optional.empty()));
        List<String> types = eventTypes(r.runnerId());
        assertEquals(List.of(EventTypes.SESSION_STOPPED, EventTypes.RUNNER_TERMINATED), types.subList(types.size() - 2, types.size()));
    }

    @Test
    void unknownIdsAreNotFound() {
        RunnerException e = assertThrows(RunnerException.NotFound.class, () -> admin().get("runner_000000000000"));
        assertMessageContains(e, "runner_000000000000");
        assertThrows(RunnerException.NotFound.class, () -> admin().startSession("runner_000000000000", Optional.empty()));
        assertThrows(RunnerException.NotFound.class, () -> admin().terminate("runner_000000000000"));
        assertThrows(RunnerException.NotFound.class, () -> admin().events(EventQuery.ofRunner("runner_000000000000", 10)));
        Runner r = fakeRunner();
        assertThrows(RunnerException.NotFound.class, () -> admin().stopSession(r.runnerId(), "sess_000000000000"));
    }

    // --- bad input ---------------------------------------------------------------------------------

    @Test
    void ttlOutsideTheRangeIsRefusedNamingTheField() {
        for (int ttl : new int[] {5, 59, 86_401}) {
            RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                    () -> admin().create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, ttl)));
            assertEquals(Optional.of("ttl_seconds"), e.field());
            assertMessageContains(e, "ttl_seconds", "60", "86,400", "seconds", Integer.toString(ttl));
        }
        assertEquals(0, admin().list(RunnerQuery.firstPage()).total(), "nothing half-written");
        assertEquals(0, admin().events(EventQuery.all(10)).total());
    }

    @Test
    void badArgvIsRefusedNamingTheField() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        long eventsBefore = admin().events(EventQuery.all(1)).total();
        List<List<String>> bad = List.of(List.of(), List.of(""), List.of("echo", "a\0b"),
                List.of("echo", "x".repeat(ExecRequest.MAX_ARGV_BYTES)));
        for (List<String> argv : bad) {
            RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                    () -> admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(argv, 30)));
            assertEquals(Optional.of("argv"), e.field());
        }
        assertEquals(eventsBefore, admin().events(EventQuery.all(1)).total(), "refused input leaves no trace but the refusal");
    }

    @Test
    void timeoutMustBePositiveAndWithinTheProfilesMaximum() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        int max = admin().policies().profile(ToolProfile.LOCKED).maxExecTimeoutSeconds();
        for (int timeout : new int[] {0, -1, max + 1}) {
            RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                    () -> admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"), timeout)));
            assertEquals(Optional.of("timeout_seconds"), e.field());
        }
        assertEquals(0, admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"), max)).exitCode());
    }

    @Test
    void unknownProviderOrProfileNamesTheAcceptedValues() {
        RunnerException.InvalidRequest p = assertThrows(RunnerException.InvalidRequest.class, () -> ProviderType.fromWire("docker"));
        assertMessageContains(p, "provider_type", "fake", "docker");
        RunnerException.InvalidRequest t = assertThrows(RunnerException.InvalidRequest.class, () -> ToolProfile.fromWire("root"));
        assertMessageContains(t, "tool_profile", "locked", "root");
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThrows(RunnerException.InvalidRequest.class, () -> admin().list(new RunnerQuery(Optional.empty(), 0, 0)));
        assertThrows(RunnerException.InvalidRequest.class, () -> admin().list(new RunnerQuery(Optional.empty(), 1001, 0)));
        assertThrows(RunnerException.InvalidRequest.class, () -> admin().list(new RunnerQuery(Optional.empty(), 10, -1)));
        assertThrows(RunnerException.InvalidRequest.class, () -> admin().events(EventQuery.all(0)));
    }

    // --- policy and RBAC ---------------------------------------------------------------------------

    @Test
    void aCommandTheProfileDoesNotAllowIsDeniedAndAudited() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        RunnerException e = assertThrows(RunnerException.PolicyDenied.class,
                () -> admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("/usr/bin/curl", "https://example.com"))));
        assertMessageContains(e, "locked", "curl");
        AuditEvent denied = admin().events(EventQuery.ofRunner(r.runnerId(), 1)).events().get(0);
        assertEquals(EventTypes.COMMAND_DENIED, denied.eventType());
        assertEquals(List.of("/usr/bin/curl", "https://example.com"), denied.data().get("argv"));
    }

    @Test
    void aViewerReadsButCannotChangeAnythingAndEachDenialIsAudited() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        RunnerService viewer = as(Role.VIEWER);
        assertEquals(r.runnerId(), viewer.get(r.runnerId()).runnerId());
        assertEquals(1, viewer.list(RunnerQuery.firstPage()).total());
        viewer.events(EventQuery.ofRunner(r.runnerId(), 10));
        viewer.policies();
        assertEquals(Role.VIEWER, viewer.whoami().role());

        RunnerException e = assertThrows(RunnerException.Forbidden.class,
                () -> viewer.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"))));
        assertMessageContains(e, "viewer");
        assertThrows(RunnerException.Forbidden.class, () -> viewer.create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 600)));
        assertThrows(RunnerException.Forbidden.class, () -> viewer.stopSession(r.runnerId(), s.sessionId()));
        assertThrows(RunnerException.Forbidden.class, () -> viewer.terminate(r.runnerId()));
        assertThrows(RunnerException.Forbidden.class, () -> viewer.updatePolicies(viewer.policies()));

        List<AuditEvent> denials = admin().events(EventQuery.all(100)).events().stream()
                .filter(ev -> ev.eventType().equals(EventTypes.AUTH_DENIED)).toList();
        assertEquals(5, denials.size());
        assertTrue(denials.stream().allMatch(ev -> "viewer".equals(ev.data().get("role"))));
        assertEquals(RunnerState.RUNNING, admin().get(r.runnerId()).state(), "nothing changed");
    }

    @Test
    void anOperatorRunsSessionsButCannotCreateTerminateOrEditPolicies() {
        Runner r = fakeRunner();
        RunnerService operator = as(Role.OPERATOR);
        Session s = operator.startSession(r.runnerId(), Optional.empty());
        assertEquals(expectedStdout(List.of("echo")), operator.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"))).stdout());
        operator.stopSession(r.runnerId(), s.sessionId());
        assertThrows(RunnerException.Forbidden.class, () -> operator.create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 600)));
        assertThrows(RunnerException.Forbidden.class, () -> operator.terminate(r.runnerId()));
        assertThrows(RunnerException.Forbidden.class, () -> operator.updatePolicies(operator.policies()));
    }

    @Test
    void anAuditorReadsEverythingButCannotRunChangeOrTurnOffAnythingAndEachDenialIsAudited() {
        Runner r = fakeRunner();
        Runner other = fakeRunner();
        admin().terminate(other.runnerId());
        RunnerService auditor = as(Role.AUDITOR);
        assertEquals(Role.AUDITOR, auditor.whoami().role());
        assertEquals(r, auditor.get(r.runnerId()));
        assertEquals(2, auditor.list(RunnerQuery.firstPage()).total());
        assertEquals(admin().events(EventQuery.all(1000)).events(), auditor.events(EventQuery.all(1000)).events(),
                "every event, of every runner");
        assertEquals(admin().policies(), auditor.policies());
        List<Member> mine = auditor.members();
        assertEquals(List.of(Role.AUDITOR), mine.stream().map(Member::role).toList());

        RunnerException e = assertThrows(RunnerException.Forbidden.class, () -> auditor.startSession(r.runnerId(), Optional.empty()));
        assertMessageContains(e, "auditor", "operator or admin");
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        assertThrows(RunnerException.Forbidden.class, () -> auditor.exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo"))));
        assertThrows(RunnerException.Forbidden.class, () -> auditor.stopSession(r.runnerId(), s.sessionId()));
        e = assertThrows(RunnerException.Forbidden.class, () -> auditor.terminate(r.runnerId()));
        assertMessageContains(e, "auditor", "an admin role");
        assertThrows(RunnerException.Forbidden.class,
                () -> auditor.create(new CreateRunnerRequest(providerType(), ToolProfile.LOCKED, 600)));
        assertThrows(RunnerException.Forbidden.class, () -> auditor.updatePolicies(auditor.policies()));

        List<AuditEvent> denials = admin().events(EventQuery.all(100)).events().stream()
                .filter(ev -> ev.eventType().equals(EventTypes.AUTH_DENIED)).toList();
        assertEquals(6, denials.size(), denials.toString());
        assertTrue(denials.stream().allMatch(ev -> "auditor".equals(ev.data().get("role"))), denials.toString());
        assertEquals(RunnerState.RUNNING, admin().get(r.runnerId()).state(), "nothing changed");
        assertEquals(Optional.of(s.sessionId()), admin().get(r.runnerId()).activeSession().map(Session::sessionId));
        assertEquals(2, admin().list(RunnerQuery.firstPage()).total());
    }

    @Test
    void anAuditorVerifiesAndExportsTheTrailWhereOtherRolesOnlySeeItsStatus() {
        Runner r = fakeRunner();
        RunnerService auditor = as(Role.AUDITOR);
        AuditStatus status = auditor.auditStatus();
        assertTrue(status.chainId().isPresent() && status.publicKey().isPresent(), status.toString());
        ChainVerification verified = auditor.verifyAudit(1, Long.MAX_VALUE, AuditProgress.NONE);
        assertTrue(verified.isVerified(), verified.describe());
        List<AuditEvent> trail = auditor.auditEvents(0, RunnerService.AUDIT_PAGE_LIMIT);
        assertTrue(trail.stream().anyMatch(ev -> r.runnerId().equals(ev.runnerId().orElse(null))), trail.toString());
        assertTrue(AuditChain.verify(trail, AuditChain.GENESIS).isVerified(),
                "the events come in hash order, each as it was hashed");
        assertEquals(trail.subList(1, 2), auditor.auditEvents(1, 1));
        auditor.auditCheckpoints(0, 10); // allowed, whether or not one is signed yet
        assertThrows(RunnerException.InvalidRequest.class, () -> auditor.auditEvents(-1, 10));
        assertThrows(RunnerException.InvalidRequest.class, () -> auditor.auditEvents(0, RunnerService.AUDIT_PAGE_LIMIT + 1));
        assertThrows(RunnerException.InvalidRequest.class, () -> auditor.auditCheckpoints(0, 0));
        assertThrows(RunnerException.InvalidRequest.class, () -> auditor.verifyAudit(0, 5, AuditProgress.NONE));
        assertThrows(RunnerException.InvalidRequest.class, () -> auditor.verifyAudit(5, 4, AuditProgress.NONE));

        long deniedBefore = admin().events(EventQuery.all(1000)).events().stream()
                .filter(ev -> ev.eventType().equals(EventTypes.AUTH_DENIED)).count();
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR)) {
            RunnerService other = as(role);
            assertEquals(status.chainId(), other.auditStatus().chainId(), "every role sees where the trail stands");
            RunnerException e = assertThrows(RunnerException.Forbidden.class,
                    () -> other.verifyAudit(1, Long.MAX_VALUE, AuditProgress.NONE));
            assertMessageContains(e, role.wireName(), "auditor or admin");
            assertThrows(RunnerException.Forbidden.class, () -> other.auditEvents(0, 10));
            assertThrows(RunnerException.Forbidden.class, () -> other.auditCheckpoints(0, 10));
        }
        long deniedAfter = admin().events(EventQuery.all(1000)).events().stream()
                .filter(ev -> ev.eventType().equals(EventTypes.AUTH_DENIED)).count();
        assertEquals(6, deniedAfter - deniedBefore, "each refusal is audited");
    }

    @Test
    void anAuditorReadsRecordingsEvenWhereThePolicyLetsOnlyAdmins() {
        Policies policies = admin().policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        ProfilePolicy locked = policies.profile(ToolProfile.LOCKED);
        profiles.put(ToolProfile.LOCKED, locked.withRecording(locked.recordingCapMib(), Role.ADMIN));
        admin().updatePolicies(new Policies(profiles, policies.pii()));
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        // not found, not forbidden: the role check let the auditor through to the lookup
        assertThrows(RunnerException.NotFound.class, () -> as(Role.AUDITOR).recording(r.runnerId(), s.sessionId(), 1));
        RunnerException e = assertThrows(RunnerException.Forbidden.class,
                () -> as(Role.OPERATOR).recording(r.runnerId(), s.sessionId(), 1));
        assertMessageContains(e, "operator", "admin", "auditor");
    }

    @Test
    void recordingReadersCannotBeAuditorBecauseAuditorsAlwaysReadThem() {
        Policies before = admin().policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(before.profiles());
        ProfilePolicy locked = before.profile(ToolProfile.LOCKED);
        profiles.put(ToolProfile.LOCKED, locked.withRecording(locked.recordingCapMib(), Role.AUDITOR));
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                () -> admin().updatePolicies(new Policies(profiles, before.pii())));
        assertEquals(Optional.of("locked.recording_readers"), e.field());
        assertMessageContains(e, "viewer, operator, admin", "auditor");
        assertEquals(before, admin().policies());
    }

    @Test
    void policyUpdatesAreEnforcedAndAuditedWithOldAndNewValues() {
        Policies before = admin().policies();
        ProfilePolicy locked = before.profile(ToolProfile.LOCKED);
        assertEquals(NetworkMode.NONE, locked.networkMode());
        List<String> commands = new ArrayList<>(locked.allowedCommands());
        commands.remove("echo");
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(before.profiles());
        profiles.put(ToolProfile.LOCKED, new ProfilePolicy(ToolProfile.LOCKED, commands, locked.networkMode(),
                locked.egressAllowlist(), locked.maxTtlSeconds(), locked.maxExecTimeoutSeconds(), locked.outputCapBytes(),
                locked.recordInput()));
        Policies after = admin().updatePolicies(new Policies(profiles));
        assertFalse(after.profile(ToolProfile.LOCKED).allowsCommand("echo"));
        assertEquals(after, admin().policies());

        AuditEvent updated = admin().events(EventQuery.all(1)).events().get(0);
        assertEquals(EventTypes.POLICY_UPDATED, updated.eventType());
        assertEquals("locked", updated.data().get("profile"));
        assertTrue(((Map<?, ?>) updated.data().get("old")).get("allowed_commands").toString().contains("echo"));
        assertFalse(((Map<?, ?>) updated.data().get("new")).get("allowed_commands").toString().contains("echo"));

        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        assertThrows(RunnerException.PolicyDenied.class,
                () -> admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x"))));
    }

    @Test
    void anInvalidPolicyIsRefusedNamingProfileAndField() {
        Policies current = admin().policies();
        ProfilePolicy locked = current.profile(ToolProfile.LOCKED);
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(current.profiles());
        profiles.put(ToolProfile.LOCKED, new ProfilePolicy(ToolProfile.LOCKED, List.of("rm -rf /"), locked.networkMode(),
                List.of(), locked.maxTtlSeconds(), 0, locked.outputCapBytes(), false));
        RunnerException.InvalidRequest e = assertThrows(RunnerException.InvalidRequest.class,
                () -> admin().updatePolicies(new Policies(profiles)));
        assertMessageContains(e, "locked.");
        assertEquals(current, admin().policies());
    }

    @Test
    void secretsInArgvNeverReachTheAuditTrail() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        String key = "cm_sk_" + "0123456789abcdef0123456789abcdef";
        admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "token=" + key)));
        // a provider that really echoes also has its output scanned (pii.detected comes after the command)
        AuditEvent executed = admin().events(EventQuery.ofRunner(r.runnerId(), 5)).events().stream()
                .filter(e -> e.eventType().equals(EventTypes.COMMAND_EXECUTED)).findFirst().orElseThrow();
        assertEquals(List.of("echo", "token=[REDACTED:api_key]"), executed.data().get("argv"));
    }

    @Test
    void piiActionsAreAPolicyAndTheirChangesAreAudited() {
        Policies before = admin().policies();
        assertEquals(PiiAction.REDACT, before.pii().action(PiiDetector.EMAIL), "redact by default");
        Policies changed = admin().updatePolicies(before.withPii(before.pii().with(PiiDetector.EMAIL, PiiAction.BLOCK)));
        assertEquals(PiiAction.BLOCK, changed.pii().action(PiiDetector.EMAIL));
        assertEquals(changed, admin().policies());
        AuditEvent event = admin().events(EventQuery.all(1)).events().get(0);
        assertEquals(EventTypes.POLICY_UPDATED, event.eventType());
        assertEquals("redact", ((Map<?, ?>) event.data().get("old")).get("email"));
        assertEquals("block", ((Map<?, ?>) event.data().get("new")).get("email"));
        assertThrows(RunnerException.Forbidden.class, () -> as(Role.OPERATOR).updatePolicies(before));
    }

    // --- events ------------------------------------------------------------------------------------

    @Test
    void eventsPageBackwardsWithBefore() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        for (int i = 0; i < 5; i++) {
            admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", Integer.toString(i))));
        }
        EventPage newest = admin().events(EventQuery.ofRunner(r.runnerId(), 3));
        assertEquals(8, newest.total());
        assertEquals(3, newest.events().size());
        long oldestShown = newest.events().get(2).seq();
        assertTrue(newest.events().get(0).seq() > newest.events().get(1).seq(), "newest first");
        EventPage older = admin().events(new EventQuery(Optional.of(r.runnerId()), 10, Optional.of(oldestShown)));
        assertEquals(5, older.events().size());
        assertTrue(older.events().stream().allMatch(e -> e.seq() < oldestShown));
        assertTrue(older.events().stream().allMatch(e -> e.runnerId().equals(Optional.of(r.runnerId()))));
    }

    @Test
    void eventsFilterByTypeSessionActorTimeAndText() {
        Runner a = fakeRunner();
        Session s = admin().startSession(a.runnerId(), Optional.empty());
        admin().exec(a.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "needle-in-argv")));
        assertThrows(RunnerException.PolicyDenied.class,
                () -> admin().exec(a.runnerId(), s.sessionId(), new ExecRequest(List.of("curl", "x"))));
        Runner b = fakeRunner();
        assertThrows(RunnerException.Forbidden.class, () -> as(Role.VIEWER).terminate(b.runnerId()));
        List<AuditEvent> all = admin().events(EventQuery.all(1000)).events();
        Instant middle = all.get(all.size() / 2).timestamp();
        List<EventQuery> queries = List.of(
                new EventQuery(Optional.empty(), 100, Optional.empty(), Set.of(EventTypes.COMMAND_DENIED, EventTypes.AUTH_DENIED),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                new EventQuery(Optional.empty(), 100, Optional.empty(), Set.of(), Optional.of(s.sessionId()),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                new EventQuery(Optional.of(b.runnerId()), 100, Optional.empty(), Set.of(), Optional.empty(),
                        Optional.of(as(Role.VIEWER).whoami().name()), Optional.empty(), Optional.empty(), Optional.empty()),
                new EventQuery(Optional.empty(), 100, Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                        Optional.of(middle), Optional.of(Instant.now().plusSeconds(60)), Optional.empty()),
                new EventQuery(Optional.empty(), 100, Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of("NEEDLE-in")));
        for (EventQuery q : queries) {
            List<Long> expected = all.stream().filter(q::matches).map(AuditEvent::seq).toList();
            EventPage page = admin().events(q);
            assertEquals(expected, page.events().stream().map(AuditEvent::seq).toList(), q.toString());
            assertEquals(expected.size(), page.total(), q.toString());
            assertFalse(expected.isEmpty(), "the query should find something: " + q);
        }
        EventQuery denials = queries.get(0);
        EventPage first = admin().events(new EventQuery(Optional.empty(), 1, Optional.empty(), denials.types(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        EventPage second = admin().events(new EventQuery(Optional.empty(), 1, Optional.empty(), denials.types(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()).before(first.events().get(0).seq()));
        assertEquals(EventTypes.COMMAND_DENIED, second.events().get(0).eventType(), "paging keeps the filter");
    }

    @Test
    void aSubscriptionDeliversNewEventsInOrderAndCanResumeFromASeq() throws InterruptedException {
        Runner r = fakeRunner();
        List<AuditEvent> live = new CopyOnWriteArrayList<>();
        try (Subscription ignored = admin().subscribe(Optional.of(r.runnerId()), RunnerService.ONLY_NEW, live::add)) {
            Session s = admin().startSession(r.runnerId(), Optional.empty());
            admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo")));
            fakeRunner(); // another runner's events are not delivered
            admin().stopSession(r.runnerId(), s.sessionId());
            awaitSize(live, 3);
        }
        assertEquals(List.of(EventTypes.SESSION_STARTED, EventTypes.COMMAND_EXECUTED, EventTypes.SESSION_STOPPED),
                live.stream().map(AuditEvent::eventType).toList());

        List<AuditEvent> resumed = new CopyOnWriteArrayList<>();
        long from = live.get(0).seq();
        try (Subscription ignored = admin().subscribe(Optional.of(r.runnerId()), from, resumed::add)) {
            awaitSize(resumed, 2);
        }
        assertEquals(live.subList(1, 3).stream().map(AuditEvent::seq).toList(), resumed.stream().map(AuditEvent::seq).toList());

        List<AuditEvent> everything = new CopyOnWriteArrayList<>();
        try (Subscription ignored = admin().subscribe(Optional.of(r.runnerId()), 0, everything::add)) {
            awaitSize(everything, 5);
        }
        assertEquals(List.of(EventTypes.RUNNER_CREATED, EventTypes.RUNNER_READY), everything.subList(0, 2).stream()
                .map(AuditEvent::eventType).toList(), "0 replays from the first event");
    }

    @Test
    void aRunnersSubscriptionSeesItsCommandsOutputLive() throws InterruptedException {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        List<OutputChunk> output = new CopyOnWriteArrayList<>();
        List<Long> starts = new CopyOnWriteArrayList<>();
        EventListener listener = new EventListener() {
            @Override
            public void onSubscribed(long afterSeq) {
                starts.add(afterSeq);
            }

            @Override
            public void onEvent(AuditEvent event) {
            }

            @Override
            public void onOutput(OutputChunk chunk) {
                output.add(chunk);
            }
        };
        try (Subscription ignored = admin().subscribe(Optional.of(r.runnerId()), RunnerService.ONLY_NEW, listener)) {
            assertEquals(1, starts.size(), "onSubscribed comes before subscribe returns");
            ExecResult result = admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x")));
            awaitSize(output, 1);
            assertEquals(result.commandId(), output.get(0).commandId());
            assertEquals(expectedStdout(List.of("echo", "x")), output.get(0).data());
            assertEquals(s.sessionId(), output.get(0).sessionId());
        }
    }

    @Test
    void execCanHandOutputToTheCallerAsItIsProduced() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        StringBuilder seen = new StringBuilder();
        ExecResult result = admin().exec(r.runnerId(), s.sessionId(), new ExecRequest(List.of("echo", "x")),
                (stream, chunk) -> seen.append(chunk));
        assertEquals(result.stdout(), seen.toString());
    }

    private static void awaitSize(List<?> list, int size) {
        Await.until(() -> list.size() >= size, Duration.ofSeconds(10), () -> size + " events, got " + list);
    }

    // --- identity ----------------------------------------------------------------------------------

    @Test
    void whoamiAndProvidersDescribeTheBackend() {
        assertEquals(Role.ADMIN, admin().whoami().role());
        assertTrue(admin().whoami().betaAccess());
        ProviderInfo fake = admin().providers().stream().filter(p -> p.type() == providerType()).findFirst().orElseThrow();
        assertTrue(fake.available());
        for (ProviderInfo p : admin().providers()) {
            assertTrue(p.available() || p.unavailableReason().filter(reason -> !reason.isBlank()).isPresent(),
                    () -> p.type() + " is unavailable without a reason");
        }
    }

    // --- terminals ---------------------------------------------------------------------------------

    /** A capability means one thing end to end: a provider reported with a terminal opens one through this service. */
    @Test
    void everyProviderThatReportsATerminalOpensOne() throws InterruptedException {
        for (ProviderInfo p : admin().providers()) {
            if (!p.available() || !p.interactiveTerminal()) {
                continue;
            }
            Runner r = admin().create(new CreateRunnerRequest(p.type(), ToolProfile.LOCKED, 600));
            Session s = admin().startSession(r.runnerId(), Optional.empty());
            TerminalScreen screen = new TerminalScreen();
            try (Terminal shell = admin().openTerminal(r.runnerId(), s.sessionId(), new TerminalSize(80, 24), screen)) {
                assertTrue(shell.isAlive(), p.type() + " reports a terminal but the one it opened is not alive");
                shell.write("echo shell-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
                screen.await("shell-42");
            }
        }
    }

    /** The other half: without a terminal, openTerminal answers Unavailable, and the caller runs commands with exec. */
    @Test
    void aProviderReportedWithoutATerminalAnswersUnavailable() {
        for (ProviderInfo p : admin().providers()) {
            if (!p.available() || p.interactiveTerminal()) {
                continue;
            }
            Runner r = admin().create(new CreateRunnerRequest(p.type(), ToolProfile.LOCKED, 600));
            Session s = admin().startSession(r.runnerId(), Optional.empty());
            assertThrows(RunnerException.Unavailable.class, () -> admin().openTerminal(r.runnerId(), s.sessionId(),
                    new TerminalSize(80, 24), new TerminalScreen()), () -> p.type() + " reports no terminal but opened one");
        }
    }

    @Test
    void aSessionWithoutATerminalHasNoRecording() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        RunnerException e = assertThrows(RunnerException.NotFound.class, () -> admin().recording(r.runnerId(), s.sessionId(), 1));
        assertMessageContains(e, s.sessionId());
        assertThrows(RunnerException.NotFound.class, () -> admin().recording(r.runnerId(), "sess_000000000000", 1));
    }

    @Test
    void recordingsAreReadOnlyByTheRolesTheProfilesPolicyAllowsAlsoOnceTheRunnerIsGone() {
        Runner r = fakeRunner();
        Session s = admin().startSession(r.runnerId(), Optional.empty());
        // refused before the lookup: a viewer learns nothing of which recordings exist
        RunnerException e = assertThrows(RunnerException.Forbidden.class, () -> as(Role.VIEWER).recording(r.runnerId(), s.sessionId(), 1));
        assertMessageContains(e, "viewer", "operator");
        assertThrows(RunnerException.NotFound.class, () -> as(Role.OPERATOR).recording(r.runnerId(), s.sessionId(), 1));
        admin().terminate(r.runnerId());
        assertThrows(RunnerException.Forbidden.class, () -> as(Role.VIEWER).recording(r.runnerId(), s.sessionId(), 1));
        List<AuditEvent> denials = admin().events(EventQuery.ofRunner(r.runnerId(), 100)).events().stream()
                .filter(ev -> ev.eventType().equals(EventTypes.AUTH_DENIED)).toList();
        assertEquals(2, denials.size());
        assertTrue(denials.stream().allMatch(ev -> "read recordings".equals(ev.data().get("action"))), denials.toString());

        Policies policies = admin().policies();
        Map<ToolProfile, ProfilePolicy> profiles = new EnumMap<>(policies.profiles());
        ProfilePolicy locked = policies.profile(ToolProfile.LOCKED);
        profiles.put(ToolProfile.LOCKED, locked.withRecording(locked.recordingCapMib(), Role.VIEWER));
        admin().updatePolicies(new Policies(profiles, policies.pii()));
        assertThrows(RunnerException.NotFound.class, () -> as(Role.VIEWER).recording(r.runnerId(), s.sessionId(), 1));
    }

    @Test
    void aRunnerWithoutScreenshotsAnswersNotFoundAndBadNamesAreRefused() {
        Runner r = fakeRunner();
        RunnerException e = assertThrows(RunnerException.NotFound.class, () -> as(Role.VIEWER).screenshot(r.runnerId(), "step-1.png"));
        assertMessageContains(e, "step-1.png");
        RunnerException.InvalidRequest bad = assertThrows(RunnerException.InvalidRequest.class,
                () -> admin().screenshot(r.runnerId(), "../../etc/passwd"));
        assertEquals(Optional.of("name"), bad.field());
        assertThrows(RunnerException.NotFound.class, () -> admin().screenshot("runner_000000000000", "step-1.png"));
    }

    @Test
    void adminsSeeEveryMemberOthersOnlyThemselves() {
        List<Member> everyone = admin().members();
        assertTrue(everyone.stream().anyMatch(m -> m.role() == Role.ADMIN), everyone.toString());
        List<Member> mine = as(Role.VIEWER).members();
        assertEquals(1, mine.size(), mine.toString());
        assertEquals(Role.VIEWER, mine.get(0).role());
        assertEquals(as(Role.VIEWER).whoami().name(), mine.get(0).name());
    }

    @Test
    void runnerTimesArePreciseToTheMillisecondAndConsistent() {
        Instant before = Instant.now().minusSeconds(5);
        Runner r = fakeRunner();
        assertTrue(r.createdAt().isAfter(before));
        assertEquals(r.createdAt(), admin().get(r.runnerId()).createdAt());
    }
}
