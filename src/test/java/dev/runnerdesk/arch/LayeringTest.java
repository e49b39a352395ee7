package dev.runnerdesk.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of DESIGN §2. */
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
