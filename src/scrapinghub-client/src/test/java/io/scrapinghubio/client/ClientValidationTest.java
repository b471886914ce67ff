package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import io.scrapinghubio.client.core.RetryPolicy;

import io.scrapinghubio.client.core.ClientConfig;

import io.scrapinghubio.client.core.ApiKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.ReadSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Early validation of every public value type, with messages naming the bad value; the key is never printed. */
class ClientValidationTest {
  private static final String SECRET = "abcdef0123456789abcdef0123456789";

  private static void rejects(String mustContain, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(mustContain), () -> "'" + e.getMessage() + "' should name '" + mustContain + "'");
  }

  @Test
  void jobKey() {
    assertEquals(new JobKey(1, 2, 3), JobKey.parse("1/2/3"));
    assertEquals("1/2/3/7", JobKey.parse("1/2/3").recordKey(7));
    rejects("1/2", () -> JobKey.parse("1/2"));
    rejects("1/x/3", () -> JobKey.parse("1/x/3"));
    rejects("0/2/3", () -> JobKey.parse("0/2/3"));
    rejects("null", () -> JobKey.parse(null));
  }

  @Test
  void jobQuery() {
    rejects("runing", () -> JobQuery.all().state("runing"));
    rejects("limit", () -> JobQuery.all().limit(0));
    rejects("startTs", () -> JobQuery.all().startTs(-1));
    rejects("tags", () -> JobQuery.all().hasTag(" "));
    assertEquals(List.of("running"), JobQuery.all().state("running").states());
  }

  @Test
  void retryPolicy() {
    rejects("maxAttempts", () -> RetryPolicy.of(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1)));
    rejects("initialBackoff", () -> RetryPolicy.of(1, Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1)));
    rejects("maxBackoff", () -> RetryPolicy.of(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertTrue(RetryPolicy.isRetryableStatus(429));
    for (int s : new int[] {400, 401, 403, 404, 413}) {
      assertFalse(RetryPolicy.isRetryableStatus(s));
    }
  }

  @Test
  void clientConfig() {
    ClientConfig c = ClientConfig.builder().apiKey(SECRET).dashEndpoint("http://h:1/api").storageEndpoint("http://h:1").build();
    assertEquals("http://h:1/api/", c.dashEndpoint(), "the dash endpoint must end with /");
    assertEquals("http://h:1/", c.storageEndpoint());
    rejects("ftp://x", () -> ClientConfig.builder().storageEndpoint("ftp://x"));
    rejects("dashEndpoint", () -> ClientConfig.builder().dashEndpoint(" "));
    rejects("credentials", () -> ClientConfig.builder().storageEndpoint("http://u:p@h/"));
    rejects("readTimeout", () -> ClientConfig.builder().readTimeout(Duration.ZERO));
    rejects("API key is empty", () -> ClientConfig.builder().apiKey(""));
  }

  @Test
  void apiKeyNeverPrinted() {
    ClientConfig c = ClientConfig.builder().apiKey(SECRET).build();
    for (String s : List.of(c.toString(), c.apiKey().toString(), c.apiKey().describe())) {
      assertFalse(s.contains(SECRET), s);
      assertFalse(s.contains(SECRET.substring(0, 8)), s);
    }
    assertTrue(c.apiKey().toString().contains(ApiKey.fingerprint(SECRET)));
    try (ScrapinghubClient client = ScrapinghubClient.create(c)) {
      assertFalse(client.toString().contains(SECRET));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKey.of(SECRET + ":"));
    assertFalse(e.getMessage().contains(SECRET));
  }

  @Test
  void runRequest() {
    rejects("units", () -> RunRequest.of("s").withUnits(7));
    rejects("priority", () -> RunRequest.of("s").withPriority(5));
    rejects("spider", () -> RunRequest.of(" "));
    rejects("'units'", () -> RunRequest.of("s").withArg("units", "1"));
    rejects("tags", () -> RunRequest.of("s").withTags(""));
    rejects("no spider", () -> RunRequest.create().formFields(1, null));
    rejects("'b'", () -> RunRequest.of("a").formFields(1, "b"));
    List<Map.Entry<String, String>> f = RunRequest.of("s").withUnits(2).withPriority(3).withTags("a", "b")
        .withArg("x", "1").withMeta(Map.of("k", "v")).withJobSettings(Map.of("S", 1)).withParam("subid", "z").formFields(7, null);
    assertEquals(List.of(Map.entry("project", "7"), Map.entry("spider", "s"), Map.entry("units", "2"),
        Map.entry("priority", "3"), Map.entry("add_tag", "a"), Map.entry("add_tag", "b"),
        Map.entry("job_settings", "{\"S\":1}"), Map.entry("meta", "{\"k\":\"v\"}"), Map.entry("x", "1"),
        Map.entry("subid", "z")), f);
  }

  @Test
  void readSpec() {
    JobKey job = JobKey.parse("1/2/3");
    ReadSpec s = ReadSpec.all(job, JobDataType.ITEMS);
    assertEquals(5, s.withOffset(5).from());
    assertEquals(15, s.withOffset(5).withCount(10).to());
    assertEquals(17, s.withCount(10).withOffset(7).to(), "offset keeps the count");
    assertEquals(4, s.withStart("1/2/3/4").from());
    assertEquals(5, s.withStartAfter("1/2/3/4").from());
    rejects("1/2/4/4", () -> s.withStart("1/2/4/4"));
    rejects("offset", () -> s.withOffset(-1));
    rejects("pageSize", () -> s.withPageSize(0));
    assertEquals("[\"level\", \">=\", [40]]", ReadSpec.filterJson("level", ">=", 40));
    assertEquals("[\"message\", \"contains\", [\"a b\"]]", ReadSpec.filterJson("message", "contains", "a b"));
    rejects("needs at least one value", () -> ReadSpec.filterJson("level", ">="));
    assertEquals(LogLevel.WARNING, LogLevel.parse("warn"));
    assertEquals(LogLevel.ERROR, LogLevel.parse("40"));
    rejects("LOUD", () -> LogLevel.parse("LOUD"));
  }
}
