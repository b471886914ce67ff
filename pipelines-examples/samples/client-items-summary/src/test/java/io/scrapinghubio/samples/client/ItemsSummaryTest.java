package io.scrapinghubio.samples.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample against the emulator (from the {@code scrapy-cloud-emulator} artifact, test scope):
 * a real HTTP server on a free port of this JVM, speaking the Scrapy Cloud API, whose jobs the
 * test writes itself so that it knows what the summary must say.
 */
class ItemsSummaryTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long PROJECT = 4242;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMULATOR = ScrapyCloudEmulatorExtension.withApiKey(KEY).projects(PROJECT);

  private static ScrapinghubClient client(ScrapyCloudEmulator emulator) {
    return ScrapinghubClient.create(ClientConfig.builder()
        .apiKey(KEY)
        .storageEndpoint(emulator.storageUrl())
        .dashEndpoint(emulator.dashUrl())
        .build());
  }

  @Test
  void summarisesEveryItemOfTheJobAndNoneOfAnother(ScrapyCloudEmulator emulator) {
    String books = emulator.state().addJob(PROJECT, "books", "finished", Map.of()).key();
    emulator.state().appendItems(books, List.of(
        "{\"title\":\"Dune\",\"price\":9.5,\"url\":\"https://example.com/1\"}",
        "{\"title\":\"Emma\",\"url\":\"https://example.com/2\"}",
        "{\"title\":\"Ulysses\",\"price\":12,\"url\":\"https://example.com/3\",\"isbn\":\"978-0\"}"));
    String other = emulator.state().addJob(PROJECT, "books", "finished", Map.of()).key();
    emulator.state().appendItems(other, List.of("{\"title\":\"not this job's\"}"));

    ItemsSummary.Summary summary;
    try (ScrapinghubClient client = client(emulator)) {
      summary = ItemsSummary.summarize(client, books);
    }

    assertEquals(3, summary.items());
    assertEquals(Map.of("isbn", 1L, "price", 2L, "title", 3L, "url", 3L), summary.fields());
    // The bytes are those the service stores and serves, whatever it did to the JSON on the way in.
    RecordLog.View stored = emulator.state().records(books, RecordType.ITEMS).view();
    long storedBytes = 0;
    for (int i = 0; i < stored.size(); i++) {
      storedBytes += stored.copy(i).length;
    }
    assertEquals(storedBytes, summary.jsonBytes());
    assertEquals("job " + books + ": 3 items, " + storedBytes + " bytes of JSON; fields: isbn (1) price (2) title (3) url (3)",
        summary.toString());
  }

  @Test
  void aJobWithoutItemsSummarisesToZero(ScrapyCloudEmulator emulator) {
    String empty = emulator.state().addJob(PROJECT, "books", "finished", Map.of()).key();
    try (ScrapinghubClient client = client(emulator)) {
      assertEquals("job " + empty + ": 0 items, 0 bytes of JSON", ItemsSummary.summarize(client, empty).toString());
    }
  }
}
