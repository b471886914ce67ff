package io.scrapinghubio.beam.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.core.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The connection value: validated at once, immutable, lossless to and from ClientConfig, and never shows the key. */
class ScrapinghubConnectionTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static IllegalArgumentException rejects(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention " + f);
    }
    return ex;
  }

  @Test
  void badSettingsAreRejectedAtOnceNamingTheValue() {
    ScrapinghubConnection c = ScrapinghubConnection.create();
    rejects(() -> c.withStorageEndpoint("ftp://x"), "storageEndpoint", "ftp://x");
    rejects(() -> c.withDashEndpoint("not a url"), "dashEndpoint", "not a url");
    rejects(() -> c.withStorageEndpoint(null), "storageEndpoint", "null");
    rejects(() -> c.withConnectTimeout(Duration.ZERO), "connectTimeout", "PT0S");
    rejects(() -> c.withReadTimeout(Duration.ofSeconds(-1)), "readTimeout", "PT-1S");
    rejects(() -> c.withRetryPolicy(null), "retryPolicy", "RetryPolicy.defaults()");
    rejects(() -> c.withUserAgent(" "), "userAgent", "' '");
    rejects(() -> c.withReadFormat(null), "readFormat", "JSON_LINES");
    rejects(() -> c.withApiKey(" "), "API key");
    rejects(() -> ScrapinghubConnection.fromClientConfig(null), "clientConfig");
  }

  @Test
  void aRejectedKeyIsNeverEchoed() {
    String bad = SECRET + ":";
    IllegalArgumentException e = rejects(() -> ScrapinghubConnection.create().withApiKey(bad), "API key");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void withXReturnsANewValue() {
    ScrapinghubConnection base = ScrapinghubConnection.create().withStorageEndpoint("http://127.0.0.1:1/");
    ScrapinghubConnection other = base.withStorageEndpoint("http://127.0.0.1:2/");
    assertEquals("http://127.0.0.1:1/", base.clientConfig().storageEndpoint());
    assertEquals("http://127.0.0.1:2/", other.clientConfig().storageEndpoint());
    assertNotEquals(base, other);
    assertEquals(base, ScrapinghubConnection.create().withStorageEndpoint("http://127.0.0.1:1"), "equal by value, endpoints normalised");
  }

  @Test
  void everyClientSettingSurvivesTheRoundTrip() {
    ClientConfig config = ClientConfig.builder().apiKey(SECRET).storageEndpoint("http://127.0.0.1:9/")
        .dashEndpoint("http://127.0.0.1:9/api/").connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(4))
        .retryPolicy(RetryPolicy.none()).userAgent("ua/1").gzip(false).readFormat(ReadFormat.MSGPACK).build();
    assertEquals(config, ScrapinghubConnection.fromClientConfig(config).clientConfig());
    ScrapinghubConnection built = ScrapinghubConnection.create().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:9/")
        .withDashEndpoint("http://127.0.0.1:9/api/").withConnectTimeout(Duration.ofSeconds(3))
        .withReadTimeout(Duration.ofSeconds(4)).withRetryPolicy(RetryPolicy.none()).withUserAgent("ua/1")
        .withGzip(false).withReadFormat(ReadFormat.MSGPACK);
    assertEquals(config, built.clientConfig());
    assertEquals(ApiKey.fromEnvironment(), built.withApiKeyFromEnvironment().clientConfig().apiKey());
  }

  @Test
  void theKeyIsInNoPrintableForm() {
    ScrapinghubConnection c = ScrapinghubConnection.create().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:9/");
    assertFalse(c.toString().contains(SECRET), c.toString());
    assertFalse(c.toString().contains(ApiKey.fingerprint(SECRET)), "not even its fingerprint: " + c);
    assertTrue(c.toString().contains("given explicitly"), c.toString());
    Map<String, String> items = DisplayData.from(c).items().stream()
        .collect(Collectors.toMap(DisplayData.Item::getKey, i -> String.valueOf(i.getValue())));
    assertEquals("http://127.0.0.1:9/", items.get("storageEndpoint"));
    assertEquals("given explicitly (travels in the job graph)", items.get("apiKeySource"));
    assertFalse(items.toString().contains(SECRET), items.toString());
    IllegalArgumentException e = rejects(() -> c.withDashEndpoint("ftp://y"), "ftp://y");
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
  }

  @Test
  void aKeyFromTheEnvironmentIsReadOnTheWorkerNotShipped() {
    ScrapinghubConnection c = ScrapinghubConnection.create().withApiKeyFromEnvironment();
    ScrapinghubConnection shipped = SerializableUtils.clone(c);
    assertEquals(c, shipped);
    assertEquals(ApiKey.fromEnvironment(), shipped.clientConfig().apiKey(), "still read from SH_APIKEY/SHUB_APIKEY where it runs");
    assertTrue(DisplayData.from(c).toString().contains("SH_APIKEY"), DisplayData.from(c).toString());
  }
}
