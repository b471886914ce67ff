package io.scrapinghubio.cli;

import io.scrapinghubio.publicapi.PublicTypes;
import org.junit.jupiter.api.Test;

/**
 * The command line's public types are the ones listed in {@code public-api.txt}, beside this class;
 * see {@link PublicTypes}. The CLI is a program, not a library, but its jar is on the examples' class
 * path ({@code ItemsToPostgres} runs the {@code load} command's pipeline), and picocli's commands
 * and option mixins cross packages: each public type is one of those, and a new one is a decision
 * made in review.
 */
class PublicApiTest {
  @Test
  void publicTypesAreTheListedOnes() throws Exception {
    PublicTypes.assertListed(ScrapinghubCli.class, PublicApiTest.class);
  }
}
