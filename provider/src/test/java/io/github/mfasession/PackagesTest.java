package io.github.mfasession;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package picture of the README ("For contributors") holds: no cycle between packages, and the arrows that
 * matter run one way. A store knows nothing of STS, an STS call nothing of caching, a supplier nothing of either,
 * a private folder nothing of what its files hold.
 */
class PackagesTest {

    private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                                                                   .importPackages("io.github.mfasession");

    @Test
    void noPackageDependsOnAnotherThatDependsOnItBack() {
        slices().matching("io.github.mfasession.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void thePublicTypesOtherThanTheProviderAreLeavesThatUseNothingInternal() {
        // The root package is both the door (MfaSessionProvider, at the top) and the types every layer shares
        // (MfaSessionException, MfaCodeSupplier, MfaCodeRequest, at the bottom): only the door may look inside.
        noClasses().that().resideInAPackage("io.github.mfasession").and().doNotHaveSimpleName("MfaSessionProvider")
                   .and().haveNameNotMatching(".*MfaSessionProvider\\$.*")
                   .should().dependOnClassesThat().resideInAPackage("io.github.mfasession.internal..")
                   .check(MAIN);
        // The command line and the server it starts stand above the door: they serve what the provider hands out.
        noClasses().that().resideInAPackage("io.github.mfasession.internal..").and().resideOutsideOfPackages("..internal.cli..", "..internal.serve..")
                   .should().dependOnClassesThat().haveNameMatching("io\\.github\\.mfasession\\.MfaSessionProvider.*")
                   .check(MAIN);
    }

    @Test
    void privateFoldersKnowNothingOfWhatTheirFilesHold() {
        noClasses().that().resideInAPackage("..internal.files..")
                   .should().dependOnClassesThat().resideInAnyPackage("io.github.mfasession", "..internal.cache..", "..internal.serve..",
                                                                      "..internal.session..", "..internal.sts..", "..internal.refresh..",
                                                                      "..internal.settings..", "..internal.code..", "..internal.cli..")
                   .check(MAIN);
    }

    @Test
    void theCacheKnowsNothingOfStsOrOfTheRefreshPolicy() {
        noClasses().that().resideInAPackage("..internal.cache..")
                   .should().dependOnClassesThat().resideInAnyPackage("..internal.sts..", "..internal.refresh..", "..internal.code..",
                                                                      "software.amazon.awssdk.services.sts..")
                   .check(MAIN);
    }

    @Test
    void stsCallsKnowNothingOfCaching() {
        noClasses().that().resideInAPackage("..internal.sts..")
                   .should().dependOnClassesThat().resideInAnyPackage("..internal.cache..", "..internal.refresh..")
                   .check(MAIN);
    }

    @Test
    void sessionsAndTheirKeysDependOnNoOtherPackageOfOurs() {
        noClasses().that().resideInAPackage("..internal.session..")
                   .should().dependOnClassesThat().resideInAnyPackage("..internal.cache..", "..internal.sts..", "..internal.refresh..",
                                                                      "..internal.settings..", "..internal.code..", "..internal.cli..")
                   .check(MAIN);
    }

    @Test
    void codeSuppliersKnowNothingOfSessions() {
        noClasses().that().resideInAPackage("..internal.code..")
                   .should().dependOnClassesThat().resideInAnyPackage("..internal.cache..", "..internal.sts..", "..internal.refresh..",
                                                                      "..internal.session..")
                   .check(MAIN);
    }
}
