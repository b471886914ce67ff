package io.scrapinghubio.emulator;

import io.scrapinghubio.publicapi.PublicTypes;
import org.junit.jupiter.api.Test;

/**
 * The emulator's public types are the ones listed in {@code public-api.txt}, beside this class; see
 * {@link PublicTypes}.
 */
class EmulatorPublicApiTest {

  @Test
  void publicTypesAreTheListedOnes() throws Exception {
    PublicTypes.assertListed(ScrapyCloudEmulator.class, EmulatorPublicApiTest.class);
  }
}
