package dev.runnerdesk.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering rules of DESIGN §2, and the ones issue 15 added: no cycles, a UI without wire or JSON, leaf layers that stay leaves. */
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.runnerdesk");

    @Test
    void onlyTheUiImportsJavaFx() {
        noClasses().that().resideOutsideOfPackage("dev.runnerdesk.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.controlsfx..")
                .check(MAIN);
    }

    @Test
    void coreDependsOnNothingOfOursButCore() {
        // core is plain Java: no other package of ours, no library — but RFC 8785's number form (ECMAScript's
        // shortest round-trip double), which the audit chain's hashes are defined by and JDK 17 does not give
        noClasses().that().resideInAPackage("dev.runnerdesk.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.runnerdesk.core..", "java..", "org.erdtman.jcs..")
                .check(MAIN);
    }

    @Test
    void theUiTalksToCoreOnly() {
        noClasses().that().resideInAPackage("dev.runnerdesk.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runnerdesk.store..", "dev.runnerdesk.embedded..",
                        "dev.runnerdesk.provider..", "dev.runnerdesk.gateway..", "dev.runnerdesk.server..",
                        "dev.runnerdesk.cli..", "java.sql..", "okhttp3..")
                .check(MAIN);
    }

    @Test
    void theUiUsesNoPolicyCodeNoWireFormatAndNoJsonLibrary() {
        // what it needs of them (the policy editor's checks, the saved profiles' format) comes as core interfaces
        // from the composition root; the audit export's writing is core
        noClasses().that().resideInAPackage("dev.runnerdesk.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runnerdesk.policy..", "dev.runnerdesk.wire..",
                        "com.fasterxml.jackson..")
                .check(MAIN);
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("dev.runnerdesk.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theGatewayClientKnowsNothingOfTheEmbeddedRuntimeOrItsStore() {
        noClasses().that().resideInAPackage("dev.runnerdesk.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runnerdesk.embedded..", "dev.runnerdesk.store..")
                .check(MAIN);
    }

    @Test
    void providersKnowNothingOfTheRuntimeOrItsStore() {
        // a provider runs sandboxes; what it records goes through SandboxProvider.Events, what it is given through the SPI
        noClasses().that().resideInAPackage("dev.runnerdesk.provider..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runnerdesk.store..", "dev.runnerdesk.embedded..")
                .check(MAIN);
    }

    @Test
    void theRuntimeKnowsProvidersOnlyThroughTheirSpi() {
        // the composition root (cli) builds them; the runtime, the store and the server take whatever it hands over
        noClasses().that().resideInAnyPackage("dev.runnerdesk.embedded..", "dev.runnerdesk.store..", "dev.runnerdesk.server..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.runnerdesk.provider.fake..",
                        "dev.runnerdesk.provider.local..", "dev.runnerdesk.provider.e2b..", "dev.runnerdesk.provider.computeruse..")
                .check(MAIN);
    }

    @Test
    void onlyTheGatewayClientAndCloudProvidersImportOkHttp() {
        noClasses().that().resideOutsideOfPackages("dev.runnerdesk.gateway..", "dev.runnerdesk.provider.e2b..",
                        "dev.runnerdesk.provider.computeruse..")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..")
                .check(MAIN);
    }
}
