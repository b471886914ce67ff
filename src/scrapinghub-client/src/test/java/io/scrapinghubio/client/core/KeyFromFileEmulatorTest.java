package io.scrapinghubio.client.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A key read from a file authenticates like an explicit one; a refused one is named by its file, never shown. */
class KeyFromFileEmulatorTest {
  private static final String KEY = "4ccep7ed4ccep7ed4ccep7ed4ccep7ed";

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY).demoData(DemoData.of(1, 5));

  private static ScrapinghubClient client(Path keyFile) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.fromFile(keyFile.toString()))
        .storageEndpoint(EMU.emulator().storageUrl()).dashEndpoint(EMU.emulator().dashUrl())
        .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(5))).build());
  }

  @Test
  void theKeyInTheFileIsSentAsBasicAuth(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("shub-key"), KEY + "\n");
    try (ScrapinghubClient c = client(file)) {
      assertEquals(1, c.projects().list().size());
    }
  }

  @Test
  void aRefusedKeyIsNamedByItsFile(@TempDir Path dir) throws Exception {
    String wrong = "wr0ngwr0ngwr0ngwr0ngwr0ngwr0ngxx";
    Path file = Files.writeString(dir.resolve("old-key"), wrong);
    try (ScrapinghubClient c = client(file)) {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> c.projects().list());
      assertTrue(e.getMessage().contains("read from file " + file), e.getMessage());
      assertTrue(e.getMessage().contains(ApiKey.fingerprint(wrong)), e.getMessage());
      assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }
  }

  @Test
  void aMissingFileFailsTheFirstCallNamingThePath(@TempDir Path dir) {
    Path file = dir.resolve("not-mounted");
    try (ScrapinghubClient c = client(file)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.projects().list());
      assertTrue(e.getMessage().contains(file + " does not exist"), e.getMessage());
    }
  }
}
