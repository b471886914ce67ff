package io.scrapinghubio.emulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator's package structure: packages depend on each other in one direction only, and the
 * emulator knows nothing of the client or Beam (it stands in for the real service, so the code
 * it tests must not be part of it).
 */
class EmulatorArchitectureTest {
  private static JavaClasses mainClasses;

  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    // The main classes' own folder or jar, not the whole package from the class path: the test
    // classes share the package and may use OkHttp, and a name pattern for test folders would
    // miss builds into another folder (-Dbuild.dir=...).
    Path mainOutput = Path.of(ScrapyCloudEmulator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    mainClasses = new ClassFileImporter().importPath(mainOutput);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.scrapinghubio.(**)").should().beFreeOfCycles().check(mainClasses);
  }

  @Test
  void emulatorKnowsNothingOfTheClientNorBeam() {
    noClasses().that().resideInAPackage("io.scrapinghubio.emulator..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.scrapinghubio.client..", "io.scrapinghubio.beam..", "org.apache.beam..", "okhttp3..")
        .check(mainClasses);
  }
}
