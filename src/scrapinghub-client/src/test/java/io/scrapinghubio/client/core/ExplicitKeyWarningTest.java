package io.scrapinghubio.client.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Serialising an explicit key for a real service (what a Beam job graph does) logs one WARN per
 * JVM that names the risk and the alternatives; a key for a loopback emulator, or a key read
 * where the client runs, logs nothing.
 */
class ExplicitKeyWarningTest {
  private static final String SECRET = "0ddba11c0ffee0ddba11c0ffee0ddb00";

  @Test
  void oneWarningPerJvmForAnExplicitKeyToARealService() {
    ExplicitKeyWarning.rearm();
    ClientConfig real = ClientConfig.builder().apiKey(SECRET).storageEndpoint("https://storage.scrapinghub.com/")
        .dashEndpoint("https://app.zyte.com/api/").build();
    try (JulCapture log = new JulCapture(ClientConfig.class.getName())) {
      ClientConfig.builder().apiKey(SECRET).build(); // building is harmless: only serialising ships the key
      assertEquals(List.of(), log.warnings());
      SerialisedBytes.of(real);
      SerialisedBytes.of(real);
      assertEquals(1, log.warnings().size(), "once per JVM: " + log.warnings());
      String w = log.warnings().get(0);
      assertFalse(w.contains(SECRET), w);
      assertTrue(w.contains(ApiKey.fingerprint(SECRET)), w);
      assertTrue(w.contains("withApiKeyFromFile"), "names the alternative: " + w);
    } finally {
      ExplicitKeyWarning.rearm();
    }
  }

  @Test
  void noWarningForAnEmulatorOrAKeyReadOnTheWorker() {
    ExplicitKeyWarning.rearm();
    try (JulCapture log = new JulCapture(ClientConfig.class.getName())) {
      for (String loopback : List.of("http://127.0.0.1:8080/", "http://localhost:1/", "http://[::1]:2/")) {
        SerialisedBytes.of(ClientConfig.builder().apiKey(SECRET).storageEndpoint(loopback).dashEndpoint(loopback + "api/").build());
      }
      SerialisedBytes.of(ClientConfig.builder().apiKey(ApiKey.fromFile("/run/secrets/shub")).build());
      SerialisedBytes.of(ClientConfig.builder().build());
      assertEquals(List.of(), log.warnings());
    } finally {
      ExplicitKeyWarning.rearm();
    }
  }
}
