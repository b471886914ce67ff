package io.scrapinghubio.beam;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The Beam module's packages form no cycle, each package (the top one included) a slice of its own:
 * the entry points and the user-facing read specs ({@code ScrapinghubIO}, {@code ScrapinghubRead...},
 * {@code CrawlAndRead}) sit in the top package, above every other; the continuous read
 * ({@code follow}) builds on the bounded read ({@code read}) and tags jobs ({@code jobs}); the rows
 * and schema inference ({@code rows}) build on {@code read}; {@code read} depends on neither.
 */
class IoArchitectureTest {
  @Test
  void packagesFormNoCycle() {
    JavaClasses io = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.scrapinghubio.beam");
    // "(**)" captures the whole package name, so every package is its own slice: "(*).." would
    // leave the top package out and lump each sub-package with the packages under it.
    slices().matching("io.scrapinghubio.(**)").should().beFreeOfCycles().check(io);
  }
}
