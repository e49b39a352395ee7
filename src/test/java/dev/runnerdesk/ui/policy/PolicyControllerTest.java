package dev.runnerdesk.ui.policy;

import dev.runnerdesk.core.EventQuery;
import dev.runnerdesk.core.EventTypes;
import dev.runnerdesk.core.PiiAction;
import dev.runnerdesk.core.PiiDetector;
import dev.runnerdesk.core.Principal;
import dev.runnerdesk.core.Role;
import dev.runnerdesk.core.ToolProfile;
import dev.runnerdesk.policy.InProcessPolicyEditorChecks;
import dev.runnerdesk.ui.ControllerFixture;
import dev.runnerdesk.ui.OnFxThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Policies view's controller without a window: edits, checks as typed, saves; on the embedded runtime. */
@ExtendWith(OnFxThread.class)
class PolicyControllerTest {
    @TempDir
    static Path dataDir;
    private ControllerFixture backend;
    private PolicyController policies;
    private PolicyModel model;

    private void open(Principal as) {
        backend = new ControllerFixture(dataDir, Clock.systemUTC(), as);
        policies = new PolicyController(backend.connection, backend.tasks, backend.notifier, new InProcessPolicyEditorChecks());
        model = policies.model();
        policies.activate();
    }

    @AfterEach
    void close() {
        policies.deactivate();
        backend.close();
    }

    private PolicyModel.ProfileDraft draft(ToolProfile profile) {
        return model.drafts.get(profile);
    }

    @Test
    void anAdminsEditIsSavedAsOnePolicyUpdatedEvent() {
        open(Principal.localUser());
        assertTrue(model.mayEdit());
        assertFalse(model.dirty.get(), "nothing to save yet");
        draft(ToolProfile.WEB_AUTOMATION).maxTtl.set("7200");
        draft(ToolProfile.WEB_AUTOMATION).recordInput.set(true);
        assertTrue(model.dirty.get());
        assertEquals("Unsaved changes", model.savedNote.get());
        policies.save();
        assertEquals(7200, backend.service.policies().profile(ToolProfile.WEB_AUTOMATION).maxTtlSeconds());
        assertTrue(backend.service.policies().profile(ToolProfile.WEB_AUTOMATION).recordInput());
        var updated = backend.service.events(new EventQuery(Optional.empty(), 10, Optional.empty(),
                Set.of(EventTypes.POLICY_UPDATED), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty())).events();
        assertEquals(1, updated.size(), "one profile changed: one policy.updated event");
        assertFalse(model.dirty.get());
        assertEquals("Saved", model.savedNote.get());
    }

    @Test
    void anInvalidEgressEntryIsNamedAndBlocksSavingUntilFixed() {
        open(Principal.localUser());
        PolicyModel.ProfileDraft web = draft(ToolProfile.WEB_AUTOMATION);
        web.egress.set("api.example.com:443\nbad host!");
        assertTrue(web.egressProblem.get().startsWith("“bad host!”: "), web.egressProblem.get());
        assertFalse(model.valid.get());
        policies.save();
        assertEquals(List.of(), backend.service.policies().profile(ToolProfile.WEB_AUTOMATION).egressAllowlist(),
                "an invalid entry is not saved");

        web.egress.set("api.example.com:443\n*.example.org");
        assertEquals("", web.egressProblem.get());
        assertTrue(model.valid.get());
        policies.save();
        assertEquals(List.of("api.example.com:443", "*.example.org"),
                backend.service.policies().profile(ToolProfile.WEB_AUTOMATION).egressAllowlist());
    }

    @Test
    void aNumberOutOfRangeIsNamedAndTheInputKept() {
        open(Principal.localUser());
        PolicyModel.ProfileDraft locked = draft(ToolProfile.LOCKED);
        locked.maxTtl.set("10");
        assertEquals("between 60 and 86,400 seconds", locked.ttlProblem.get());
        assertFalse(model.valid.get());
        assertEquals("10", locked.maxTtl.get());
        locked.maxTtl.set("ten");
        assertEquals("a whole number of seconds", locked.ttlProblem.get());
    }

    @Test
    void thePiiTestBoxShowsWhatASampleBecomesUnderTheUnsavedSettings() {
        open(Principal.localUser());
        model.piiSample.set("write to jane@example.com today");
        assertEquals("write to [REDACTED:email] today", model.piiPreview.get());
        model.pii.get(PiiDetector.EMAIL).set(PiiAction.OFF);
        assertEquals("write to jane@example.com today", model.piiPreview.get());
        model.pii.get(PiiDetector.EMAIL).set(PiiAction.BLOCK);
        assertTrue(model.piiPreview.get().startsWith("[output withheld"), model.piiPreview.get());
        assertTrue(model.dirty.get(), "a PII change is saved like the rest");
    }

    @Test
    void shownAgainUnsavedEditsStayAndReloadReplacesThem() {
        open(Principal.localUser());
        draft(ToolProfile.LOCKED).maxTtl.set("120");
        policies.deactivate();
        policies.activate();
        assertEquals("120", draft(ToolProfile.LOCKED).maxTtl.get(), "coming back keeps what was typed");
        policies.reload();
        assertEquals(Integer.toString(backend.service.policies().profile(ToolProfile.LOCKED).maxTtlSeconds()),
                draft(ToolProfile.LOCKED).maxTtl.get());
        assertFalse(model.dirty.get());
    }

    @Test
    void aViewerSeesThePoliciesButCannotSave() {
        open(new Principal("eve", Role.VIEWER));
        assertEquals(Role.VIEWER, model.role.get());
        assertFalse(model.mayEdit());
        assertTrue(model.loadedPolicies.get() != null, "viewers read the policies");
        int before = backend.service.policies().profile(ToolProfile.LOCKED).maxTtlSeconds();
        draft(ToolProfile.LOCKED).maxTtl.set(Integer.toString(before + 60));
        policies.save();
        assertEquals(before, backend.service.policies().profile(ToolProfile.LOCKED).maxTtlSeconds());
    }
}
