package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers and values the service cannot take or should not send are named, with where they came from. */
class ServiceOddAnswersTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  /** A proxy or a wrong endpoint answering 200 with an HTML page: the error names the URL, not "invalid JSON". */
  @Test
  void anHtmlPageInsteadOfDataNamesTheUrl() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] page = "<html><body>Welcome to our portal</body></html>".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, page.length);
      ex.getResponseBody().write(page);
      ex.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    try (ScrapinghubClient c = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(base)
        .dashEndpoint(base + "api/").retryPolicy(RetryPolicy.none()).build())) {
      ScrapinghubException e = assertThrows(ScrapinghubException.class, () -> c.getJob("1/2/3").items().stats());
      assertTrue(e.getMessage().contains("/items/1/2/3/stats") && e.getMessage().contains("HTML")
          && e.getMessage().contains("storage endpoint"), e.getMessage());
      assertTrue(!e.getMessage().contains(KEY), "never the key");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void nanOrInfinityInMetadataIsRefusedNamingTheKey() {
    try (ScrapinghubClient c = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY)
        .storageEndpoint("http://127.0.0.1:9/").dashEndpoint("http://127.0.0.1:9/api/").build())) {
      JobMeta meta = c.getJob("1/2/3").metadata();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> meta.set("ratio", Double.NaN));
      assertTrue(e.getMessage().contains("'ratio'") && e.getMessage().contains("NaN"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> meta.set("nested", Map.of("xs", List.of(1.0, Double.POSITIVE_INFINITY))));
      assertTrue(e.getMessage().contains("'nested'") && e.getMessage().contains("Infinity"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> meta.update(Map.of("r", Float.NaN)));
      assertTrue(e.getMessage().contains("'r'"), e.getMessage());
    }
  }
}
