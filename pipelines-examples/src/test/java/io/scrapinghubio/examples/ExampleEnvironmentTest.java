package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ApiKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples take the key from a file or the environment, never from the command line (it shows in ps). */
class ExampleEnvironmentTest {
  private static final String SECRET = "c0mmandl1nec0mmandl1nec0mmandl1n";
  private static final String REAL = "--endpoint=https://storage.scrapinghub.com/";

  @Test
  void aKeyOnTheCommandLineIsRefusedWithoutRepeatingIt() {
    for (String arg : List.of("--apikey=" + SECRET, "--apikey")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1", arg}));
      assertTrue(e.getMessage().contains("--apikeyFile=PATH"), e.getMessage());
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      IllegalArgumentException crawl = assertThrows(IllegalArgumentException.class,
          () -> ExampleEnvironment.forCrawls(new String[] {arg}));
      assertFalse(crawl.getMessage().contains(SECRET), crawl.getMessage());
    }
  }

  @Test
  void theKeyIsReadFromTheNamedFileOnEachWorker() {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1", "--apikeyFile=secrets/shub-key"})) {
      assertEquals(ApiKey.fromFile(Path.of("secrets/shub-key").toAbsolutePath().toString()), env.clientConfig().apiKey(),
          "a relative path is the user's, made absolute where it was typed");
      assertEquals(List.of(), List.of(env.beamArgs()), "the key's path is not a Beam option either");
    }
  }

  @Test
  void otherwiseFromTheEnvironment() {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1"})) {
      assertEquals(ApiKey.fromEnvironment(), env.clientConfig().apiKey());
    }
  }
}
