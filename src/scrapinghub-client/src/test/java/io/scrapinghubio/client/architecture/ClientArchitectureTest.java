package io.scrapinghubio.client.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.scrapinghubio.client.core.Internal;
import io.scrapinghubio.client.http.HttpTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client's shape, checked on its compiled classes: its packages form no cycle (each can be
 * understood, and later split off, on its own), and it never depends on Beam (the Beam connector
 * is built on the client, not the other way round; the POM's enforcer rule keeps Beam off the
 * classpath, this keeps it out of the code should it ever come back transitively).
 */
class ClientArchitectureTest {
  private static JavaClasses clientClasses;

  @BeforeAll
  static void importClient() {
    clientClasses = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.scrapinghubio.client");
  }

  @Test
  void clientPackagesHaveNoCycles() {
    slices().matching("io.scrapinghubio.(**)").should().beFreeOfCycles().check(clientClasses);
  }

  /**
   * The transport is plumbing: every public constructor or method that takes it is marked
   * {@link Internal}, so that it is documented as not API and a new one is a visible choice.
   */
  @Test
  void publicEntryPointsTakingTheTransportAreMarkedInternal() {
    DescribedPredicate<JavaCodeUnit> takesTheTransport = DescribedPredicate.describe("take the HTTP transport",
        u -> u.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(HttpTransport.class)));
    codeUnits().that().arePublic().and(takesTheTransport)
        .should().beAnnotatedWith(Internal.class).check(clientClasses);
  }

  @Test
  void clientDoesNotDependOnBeam() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.beam..").check(clientClasses);
  }
}
