package io.scrapinghubio.emulator.testcontainers;

import io.scrapinghubio.publicapi.PublicTypes;
import org.junit.jupiter.api.Test;

/**
 * The Testcontainers module's public types are the ones listed in {@code public-api.txt}, beside this class; see
 * {@link PublicTypes}.
 */
class ContainerPublicApiTest {

  @Test
  void publicTypesAreTheListedOnes() throws Exception {
    PublicTypes.assertListed(ScrapyCloudEmulatorContainer.class, ContainerPublicApiTest.class);
  }
}
