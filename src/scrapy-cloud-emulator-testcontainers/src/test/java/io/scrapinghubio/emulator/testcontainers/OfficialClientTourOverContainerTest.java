package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.Jobs;
import io.scrapinghubio.client.LogLevel;
import io.scrapinghubio.client.Project;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.Spider;
import io.scrapinghubio.client.activity.Activity;
import io.scrapinghubio.client.collections.Collection;
import io.scrapinghubio.client.collections.CollectionRecord;
import io.scrapinghubio.client.collections.ScanOptions;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.FrontierSlot;
import io.scrapinghubio.client.frontier.QueueBatch;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.settings.Settings;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.JobWriters;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A short tour of python-scrapinghub's feature set (the README's coverage table) through the
 * container's port: one call or two of each area, to show that the image serves the whole API the
 * client speaks. The exhaustive checks stay in the client's own emulator tests.
 */
@ExtendWith(EmulatorImageUnderTest.class)
@Testcontainers
class OfficialClientTourOverContainerTest {

  @Container
  static final ScrapyCloudEmulatorContainer EMULATOR = EmulatorImageUnderTest.container().withDemoData(3, 100);

  private ScrapinghubClient client;
  private Project project;

  @BeforeEach
  void connect() {
    client = ScrapinghubClient.create(EMULATOR.clientConfig());
    project = client.getProject(EMULATOR.getDemoProject());
  }

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void projectsAndSpiders() {
    assertTrue(client.projects().list().contains(EMULATOR.getDemoProject()));
    assertTrue(project.jobsummary().finished() >= 3, "3 demo jobs, and what other tests finished");
    List<String> spiders = project.spiders().list().stream().map(s -> s.get("id").asText()).toList();
    assertTrue(spiders.containsAll(List.of("products", "reviews", "categories")), spiders.toString());
    Spider products = project.spiders().get("products");
    products.updateTags(List.of("tour"), List.of());
    assertTrue(products.listTags().contains("tour"));
    assertEquals(1, products.jobs().count());
  }

  @Test
  void jobsRunMetadataTagsCancel() {
    Jobs jobs = project.jobs();
    assertEquals(1, jobs.count(JobQuery.all().spider("products")), "one demo job per spider");
    Job job = jobs.run(RunRequest.of("reviews").withArg("category", "tour").withTags("container").withUnits(2));
    assertEquals("pending", job.metadata().get("state").asText());
    assertEquals("tour", job.metadata().get("spider_args").path("category").asText());
    assertThrows(DuplicateJobException.class, () -> jobs.run(RunRequest.of("reviews").withArg("category", "tour")));
    job.metadata().set("note", "from the tour");
    assertEquals("from the tour", job.metadata().get("note").asText());
    job.updateTags(List.of("consumed"), List.of("container"));
    assertTrue(job.metadata().get("tags").toString().contains("consumed"));
    assertEquals(1, jobs.list(JobQuery.all().state("pending").hasTag("consumed")).size());
    job.cancel();
    assertEquals(1, jobs.summaries(List.of(job.key().toString())).size());
  }

  @Test
  void jobDataReadAndWritten() {
    JobSummary demo = project.jobs().list(JobQuery.all().spider("products")).get(0);
    Job job = client.getJob(demo.key());
    assertEquals(100, job.items().count());
    JobRecord fifth = job.items().get(4);
    assertEquals(4, fifth.index());
    assertEquals(10, job.items().list(job.items().spec().withOffset(10).withCount(10)).size());
    assertFalse(job.logs().list().isEmpty());
    assertTrue(job.logs().list(LogLevel.ERROR).size() <= job.logs().list().size());
    assertFalse(job.requests().list().isEmpty());
    assertFalse(job.samples().list().isEmpty());
    assertThrows(NotFoundException.class, () -> job.items().get(100_000));

    Job written = project.jobs().run(RunRequest.of("categories").withArg("from", "writer"));
    written.start();
    BatchWriter<Object> items = written.writer(JobDataType.ITEMS, WriterOptions.defaults());
    for (int i = 0; i < 1500; i++) {
      items.write(Map.of("n", i, "name", "item " + i));
    }
    assertEquals(1500, items.close().records());
    BatchWriter<Object> logs = written.writer(JobDataType.LOGS, WriterOptions.defaults());
    logs.write(JobWriters.logRecord(JobWriters.ERROR, "it failed once"));
    logs.close();
    written.finish();
    assertEquals(1500, written.items().count());
    assertEquals(1, written.items().list(written.items().spec().withFilter("n", "=", 1234)).size());
    String errorLog = written.logs().list(LogLevel.ERROR).get(0).json();
    assertTrue(errorLog.contains("\"message\":\"it failed once\""), errorLog);
  }

  @Test
  void collectionsFrontiersActivitySettings() {
    Collection seen = project.collections().getStore("seen_urls");
    seen.set(List.of(Map.of("_key", "https://example.com/a", "ts", 1), Map.of("_key", "https://example.com/b", "ts", 2),
        Map.of("_key", "https://other.org/c", "ts", 3)));
    assertEquals(2, seen.get("https://example.com/b").get("ts").asInt());
    List<CollectionRecord> example = seen.list(ScanOptions.all().prefix("https://example.com/"));
    assertEquals(2, example.size());
    seen.delete("https://example.com/a");
    assertEquals(2, seen.count());

    FrontierSlot slot = project.frontiers().get("links").get("example.com");
    slot.queue().add(FrontierRequest.of("/page/1"), FrontierRequest.of("/page/2").withPriority(1));
    slot.flush();
    List<QueueBatch> batches = slot.queue().list();
    assertEquals(2, batches.stream().mapToInt(b -> b.requests().size()).sum());
    slot.queue().delete(batches.stream().map(QueueBatch::id).toList());
    assertEquals(List.of(), slot.queue().list());
    assertEquals(List.of("/page/1", "/page/2"), slot.fingerprints().list());

    Activity activity = project.activity();
    activity.add(Map.of("event", "tour:visited", "user", "container"));
    assertEquals("tour:visited", activity.list(1).get(0).get("event").asText());

    Settings settings = project.settings();
    settings.set("job_runtime_limit", 24);
    JsonNode limit = settings.get("job_runtime_limit").orElseThrow();
    assertEquals(24, limit.asInt());
  }
}
