package io.scrapinghubio.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings fail at construction with a message naming the value; display data hides the key. */
class ReadValidationTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  private static void rejects(Executable e, String... fragments) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention " + f);
    }
  }

  @Test
  void rejectsBadValuesAtConstruction() {
    rejects(() -> ScrapinghubIO.read().withProject(0), "project", "0");
    rejects(() -> ScrapinghubIO.read().withProject(-5), "-5");
    rejects(() -> ScrapinghubIO.read().withJobs("1/2"), "1/2", "<project>/<spider>/<job>");
    rejects(() -> ScrapinghubIO.read().withJobs("1/x/3"), "1/x/3");
    rejects(() -> ScrapinghubIO.read().withJobs(), "at least one");
    rejects(() -> ScrapinghubIO.read().withPageSize(0), "page size", "0");
    rejects(() -> ScrapinghubIO.read().withChunkItems(-1), "chunk items", "-1");
    rejects(() -> ScrapinghubIO.read().withChunkBytes(0), "chunk bytes");
    rejects(() -> ScrapinghubIO.read().withPrefetchPages(99), "99");
    rejects(() -> ScrapinghubIO.read().withStates("done"), "done", "finished");
    rejects(() -> ScrapinghubIO.read().withMinLogLevel("LOUD"), "LOUD", "ERROR");
    rejects(() -> ScrapinghubIO.read().withFilter("level >= 40"), "level >= 40", "triple");
    rejects(() -> ScrapinghubIO.read().withSpiders(""), "spider");
    rejects(() -> ScrapinghubIO.connection().withStorageEndpoint("ftp://x"), "ftp://x");
    rejects(() -> ScrapinghubIO.connection().withApiKey(" "), "API key");
    rejects(() -> ScrapinghubIO.read().withConnection(null), "connection");
    rejects(() -> ScrapinghubIO.readAll().withConnection(null), "connection");
    rejects(() -> ScrapinghubIO.readAll().withPageSize(-3), "-3");
    rejects(() -> ScrapinghubIO.readAll().withPrefetchPages(17), "prefetch pages", "17");
    rejects(() -> ScrapinghubIO.readAll().withChunkItems(0), "chunk items", "0");
    rejects(() -> ScrapinghubIO.readAll().withChunkBytes(-2), "chunk bytes", "-2");
    rejects(() -> ScrapinghubIO.readAll().withFilter("[1]"), "'[1]'", "triple");
    rejects(() -> ScrapinghubIO.readAll().withMinLogLevel("LOUD"), "LOUD");
    rejects(() -> ScrapinghubIO.readAll().withDataType(null), "data type", "LOGS");
    rejects(() -> ScrapinghubIO.readAll().withProgressInterval(java.time.Duration.ZERO), "progress interval", "PT0S");
    rejects(() -> ScrapinghubIO.readAll().as(null), "output type");
    rejects(() -> ScrapinghubIO.readAll().asRows(null), "row schema");
    rejects(() -> ScrapinghubIO.read().as(null), "output type");
  }

  @Test
  void projectOrJobsRequiredAtExpand() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    rejects(() -> p.apply(ScrapinghubIO.read().withConnection(ScrapinghubIO.connection().withApiKey(SECRET))), "withProject", "withJobs");
  }

  @Test
  void displayDataShowsSettingsButNeverTheKey() {
    ScrapinghubRead<ScrapinghubRecord> read = ScrapinghubIO.read()
        .withConnection(ScrapinghubIO.connection().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:1234/"))
        .withProject(2222222)
        .withSpiders("products")
        .withHasTag("ready")
        .withPageSize(500);
    DisplayData dd = DisplayData.from(read);
    Map<String, String> items = dd.items().stream()
        .collect(Collectors.toMap(DisplayData.Item::getKey, i -> String.valueOf(i.getValue())));
    assertEquals("2222222", items.get("project"));
    assertEquals("products", items.get("spiders"));
    assertEquals("http://127.0.0.1:1234/", items.get("storageEndpoint"));
    assertEquals("500", items.get("pageSize"));
    assertTrue(items.get("jobQuery").contains("ready"));
    assertFalse(dd.toString().contains(SECRET), "display data must not contain the API key");
    assertFalse(read.toString().contains(SECRET));
    assertFalse(DisplayData.from(ScrapinghubIO.readAll().withConnection(ScrapinghubIO.connection().withApiKey(SECRET))).toString().contains(SECRET));
  }

  @Test
  void specsAreImmutable() {
    ScrapinghubRead<ScrapinghubRecord> base = ScrapinghubIO.read().withProject(1);
    ScrapinghubRead<ScrapinghubRecord> other = base.withPageSize(10);
    assertEquals(io.scrapinghubio.client.read.ReadSpec.DEFAULT_PAGE_SIZE, base.config().pageSize());
    assertEquals(10, other.config().pageSize());

    ScrapinghubReadAll<ScrapinghubRecord> all = ScrapinghubIO.readAll();
    ScrapinghubReadAll<ScrapinghubRecord> logs = all.withMinLogLevel("ERROR").withPageSize(10);
    assertEquals(io.scrapinghubio.client.read.ReadSpec.DEFAULT_PAGE_SIZE, all.config().pageSize());
    assertEquals(io.scrapinghubio.client.read.JobDataType.ITEMS, all.config().dataType());
    assertEquals(10, logs.config().pageSize());
    assertEquals(io.scrapinghubio.client.read.JobDataType.LOGS, logs.config().dataType());
    assertEquals(1, logs.config().filters().size());
    assertEquals(logs.config(), all.withMinLogLevel("ERROR").withPageSize(10).config(), "equal settings, equal configs");
  }
}
