package io.scrapinghubio.client.architecture;

import io.scrapinghubio.publicapi.PublicTypes;
import io.scrapinghubio.client.ScrapinghubClient;
import org.junit.jupiter.api.Test;

/**
 * The client's public types are the ones listed in {@code public-api.txt}, beside this class; see
 * {@link PublicTypes}. The plumbing's public types (package {@code http}, marked
 * internal) are listed too: making them public was a decision as well.
 */
class PublicApiTest {

  @Test
  void publicTypesAreTheListedOnes() throws Exception {
    PublicTypes.assertListed(ScrapinghubClient.class, PublicApiTest.class);
  }
}
