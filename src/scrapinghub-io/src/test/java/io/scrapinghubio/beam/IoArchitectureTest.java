package io.scrapinghubio.beam;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The Beam module's packages form no cycle: the reads ({@code read}) may tag jobs ({@code jobs}),
 * and the composite that schedules, awaits, reads and tags ({@code crawl}) sits above both.
 */
class IoArchitectureTest {
  @Test
  void packagesFormNoCycle() {
    JavaClasses io = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.scrapinghubio.beam");
    slices().matching("io.scrapinghubio.beam.(*)..").should().beFreeOfCycles().check(io);
  }
}
