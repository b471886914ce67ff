package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ApiKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples take the key from a file or the environment, never from the command line (it shows in
 * ps), and their connection flags in kebab-case, as the command line does.
 */
class ExampleEnvironmentTest {
  private static final String SECRET = "c0mmandl1nec0mmandl1nec0mmandl1n";
  private static final String REAL = "--endpoint=https://storage.scrapinghub.com/";

  @Test
  void aKeyOnTheCommandLineIsRefusedWithoutRepeatingIt() {
    for (String arg : List.of("--apikey=" + SECRET, "--apikey", "--api-key=" + SECRET, "--apiKey=" + SECRET)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1", arg}));
      assertTrue(e.getMessage().contains("--apikey-file=PATH"), e.getMessage());
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
      IllegalArgumentException crawl = assertThrows(IllegalArgumentException.class,
          () -> ExampleEnvironment.forCrawls(new String[] {arg}));
      assertFalse(crawl.getMessage().contains(SECRET), crawl.getMessage());
    }
  }

  @Test
  void theKeyIsReadFromTheNamedFileOnEachWorker() {
    for (String flag : List.of("--apikey-file", "--apikeyFile")) { // the CLI's name, and Beam's spelling of it
      try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1", flag + "=secrets/shub-key"})) {
        assertEquals(ApiKey.fromFile(Path.of("secrets/shub-key").toAbsolutePath().toString()), env.clientConfig().apiKey(),
            "a relative path is the user's, made absolute where it was typed");
        assertEquals(List.of(), List.of(env.beamArgs()), "the key's path is not a Beam option either");
      }
    }
  }

  @Test
  void otherwiseFromTheEnvironment() {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {REAL, "--project=1"})) {
      assertEquals(ApiKey.fromEnvironment(), env.clientConfig().apiKey());
    }
  }

  @Test
  void connectionFlagsAreKebabCaseAsTheCommandLines() {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {REAL, "--dash-endpoint=https://dash.example.com/api/",
        "--project=7", "--flink-master=jm:8081", "--output=x"})) {
      assertEquals("https://dash.example.com/api/", env.clientConfig().dashEndpoint());
      assertEquals(7, env.project());
      assertEquals(List.of("--flinkMaster=jm:8081", "--output=x"), List.of(env.beamArgs()), "the rest, as Beam reads it");
    }
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(new String[] {"--demo-jobs=2", "--demo-items-per-job=3"})) {
      assertEquals(2, env.emulator().state().project(env.project()).jobs().size());
    }
  }

  @Test
  void badValuesAreRefusedNamingTheFlagAsTyped() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExampleEnvironment.fromArgs(new String[] {REAL, "--project=abc"}));
    assertEquals("bad value in '--project=abc': expected a positive integer", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExampleEnvironment.fromArgs(new String[] {"--demo-jobs=0"}));
    assertEquals("bad value in '--demo-jobs=0': expected a positive integer", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExampleEnvironment.fromArgs(new String[] {"--dash-endpoint=http://h/api/"}));
    assertTrue(e.getMessage().startsWith("--dash-endpoint=http://h/api/ without --endpoint"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExampleEnvironment.forCrawls(new String[] {"--dash-endpoint=http://h/api/"}));
    assertTrue(e.getMessage().startsWith("--dash-endpoint=http://h/api/ without --endpoint"), e.getMessage());
  }
}
