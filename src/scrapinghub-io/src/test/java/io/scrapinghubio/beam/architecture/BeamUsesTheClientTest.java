package io.scrapinghubio.beam.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client owns the wire: URLs, request bodies, retries and error mapping live in the client,
 * and the Beam transforms reach the service only through its resource objects (jobs, collections,
 * frontier slots, encoders). So no class of this module may touch the client's HTTP layer or
 * OkHttp: a transform that did would repeat wire knowledge the client already keeps, and drift
 * from it.
 */
class BeamUsesTheClientTest {
  private static JavaClasses beamClasses;

  @BeforeAll
  static void importBeamModule() {
    // Main and test classes alike: the tests, too, observe the service through the emulator's
    // request log rather than by sending requests of their own.
    beamClasses = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.scrapinghubio.beam");
  }

  @Test
  void noClassUsesTheClientsHttpLayer() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.scrapinghubio.client.http..")
        .because("the client's resource objects own URLs, request bodies and retries")
        .check(beamClasses);
  }

  @Test
  void noClassUsesOkHttp() {
    noClasses().should().dependOnClassesThat().resideInAPackage("okhttp3..")
        .because("HTTP is the client's business; the transforms call the client")
        .check(beamClasses);
  }
}
