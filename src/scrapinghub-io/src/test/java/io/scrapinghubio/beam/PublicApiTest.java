package io.scrapinghubio.beam;

import io.scrapinghubio.publicapi.PublicTypes;
import org.junit.jupiter.api.Test;

/**
 * The Beam module's public types are the ones listed in {@code public-api.txt}, beside this class;
 * see {@link PublicTypes}. Plumbing that must stay public across packages is marked
 * {@code @Internal} (Beam's annotation, as Beam marks its own) and listed in a section of its own:
 * making it public was a decision as well.
 */
class PublicApiTest {
  @Test
  void publicTypesAreTheListedOnes() throws Exception {
    PublicTypes.assertListed(ScrapinghubIO.class, PublicApiTest.class);
  }
}
