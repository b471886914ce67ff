package io.scrapinghubio.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The command line's shape, on its compiled classes: its packages form no cycle, and only the
 * entry point's package ({@code ScrapinghubCli} and its handlers) knows the commands; what the
 * commands share (their context, counts, failures) lives in {@code console}, below them all.
 */
class CliArchitectureTest {
  private static final JavaClasses CLI = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.scrapinghubio.cli");

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.scrapinghubio.cli.(*)..").should().beFreeOfCycles().check(CLI);
  }

  @Test
  void nothingBelowTheEntryPointDependsOnIt() {
    noClasses().that().resideInAPackage("io.scrapinghubio.cli.*..")
        .should().dependOnClassesThat().resideInAPackage("io.scrapinghubio.cli").check(CLI);
  }
}
