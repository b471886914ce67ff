package io.scrapinghubio.client.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

  @Test
  void clientDoesNotDependOnBeam() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.beam..").check(clientClasses);
  }
}
