package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Crawls that run: life cycle on a manual clock, progressive deterministic items, cancel, units, duplicates. */
class EmulatorCrawlTest {
  private static final CrawlSimulation SIM = CrawlSimulation.builder()
      .pendingTime(Duration.ofMillis(100))
      .runningTime(Duration.ofMillis(1000))
      .itemsPerJob(10)
      .unitsCapacity(2)
      .spider("books", CrawlSimulation.Spider.defaults())
      .spider("flaky", CrawlSimulation.Spider.defaults().withItems(3).withCloseReason("failed"))
      .spider("big", CrawlSimulation.Spider.defaults().withItems(40).withRunningTime(Duration.ofMillis(400)))
      .build();

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = new ScrapyCloudEmulatorExtension().crawlSimulation(SIM);

  private static final AtomicLong PROJECTS = new AtomicLong(500);
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
  private ScrapyCloudEmulator emu;
  private ScrapinghubClient client;
  private long project;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    emu.state().clock(clock::get);
    client = ScrapinghubClient.create(ClientConfig.builder().apiKey("0123456789abcdef0123456789abcdef")
        .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).retryPolicy(RetryPolicy.none()).build());
    project = PROJECTS.incrementAndGet();
    emu.state().project(project); // a real project exists before anything is scheduled in it
  }

  @AfterEach
  void tearDown() {
    client.close();
    emu.state().clock(System::currentTimeMillis);
  }

  private void tick(long ms) {
    clock.addAndGet(ms);
    emu.advanceCrawls();
  }

  private Job run(RunRequest r) {
    return client.getProject(project).jobs().run(r);
  }

  private String state(Job j) {
    return j.metadata().get("state").asText();
  }

  private List<String> items(Job j) {
    List<String> out = new ArrayList<>();
    for (JobRecord r : j.items().iter()) {
      out.add(r.json());
    }
    return out;
  }

  private static String expected(String spider, Map<String, String> args, long i) {
    return Json.write(Json.MAPPER.valueToTree(CrawlSimulation.item(spider, args, i)));
  }

  @Test
  void jobGoesPendingRunningFinishedWritingItemsProgressively() {
    Map<String, String> args = Map.of("category", "poetry", "items", "8");
    Job job = run(RunRequest.of("books").withArgs(args).withUnits(1));
    assertEquals("pending", state(job));
    tick(50);
    assertEquals("pending", state(job), "still within the pending time");
    tick(60);
    assertEquals("running", state(job));
    assertTrue(job.metadata().get("running_time").isNumber());
    tick(500);
    List<String> half = items(job);
    assertEquals(4, half.size(), "items are written linearly over the running time");
    tick(499);
    assertEquals("running", state(job));
    tick(1);
    assertEquals("finished", state(job));
    JsonNode meta = job.metadata().list();
    assertEquals("finished", meta.path("close_reason").asText());
    assertEquals(8, meta.path("scrapystats").path("item_scraped_count").asLong());
    assertEquals(8, meta.path("items_scraped").asLong());
    List<String> all = items(job);
    assertEquals(8, all.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(Json.parse(expected("books", args, i)), Json.parse(all.get(i)), "item " + i);
    }
    JsonNode summary = client.getProject(project).jobs().list(io.scrapinghubio.client.JobQuery.all()).get(0).json();
    assertEquals(8, summary.path("items").asLong());
    assertEquals("finished", summary.path("close_reason").asText());
    assertEquals(2, job.logs().count(), "spider opened + closing spider");
  }

  @Test
  void itemsAndDurationComeFromArgsAndSpiderDefaults() {
    Job flaky = run(RunRequest.of("flaky"));
    Job big = run(RunRequest.of("big"));
    tick(100);
    tick(400);
    assertEquals("finished", state(big));
    assertEquals(40, items(big).size());
    assertEquals("running", state(flaky));
    tick(600);
    assertEquals("finished", state(flaky));
    assertEquals("failed", flaky.metadata().get("close_reason").asText());
    assertEquals(3, items(flaky).size());
    Job quick = run(RunRequest.of("books").withArg("run_ms", "0").withArg("items", "2").withArg("close_reason", "shutdown"));
    tick(100);
    tick(1);
    assertEquals("finished", state(quick));
    assertEquals("shutdown", quick.metadata().get("close_reason").asText());
    assertEquals(2, items(quick).size());
  }

  @Test
  void cancelEndsARunningJobWithCloseReasonCancelled() {
    Job job = run(RunRequest.of("books").withArg("items", "100"));
    Job pending = run(RunRequest.of("books").withArg("items", "5").withUnits(2));
    tick(100);
    assertEquals("running", state(job));
    assertEquals("pending", state(pending), "2 units do not fit next to the running job");
    tick(300);
    job.cancel();
    // A running job stops asynchronously (gotcha 6.9): at the emulator's next tick or request.
    tick(10);
    assertEquals("finished", state(job));
    assertEquals("cancelled", job.metadata().get("close_reason").asText());
    int scraped = items(job).size();
    assertTrue(scraped >= 30 && scraped < 100, "partial items: " + scraped);
    pending.cancel();
    assertEquals("finished", state(pending), "a pending job is finished at once");
    assertEquals("cancelled", pending.metadata().get("close_reason").asText());
    tick(5000);
    assertEquals(0, items(pending).size());
  }

  @Test
  void unitsCapacityKeepsJobsPendingUntilCapacityFreesUp() {
    Job a = run(RunRequest.of("books").withArg("n", "a"));
    Job b = run(RunRequest.of("books").withArg("n", "b"));
    Job c = run(RunRequest.of("books").withArg("n", "c"));
    tick(100);
    assertEquals(List.of("running", "running", "pending"), List.of(state(a), state(b), state(c)));
    JsonNode summary = summary();
    assertFalse(summary.path("has_capacity").asBoolean(true));
    assertEquals(2, summary.path("running").asLong());
    assertEquals(1, summary.path("pending").asLong());
    JsonNode hs = client.getProject(project).jobsummary().json();
    assertEquals(2, hs.path("running_units_count").asLong());
    assertFalse(hs.path("has_capacity").asBoolean(true));
    tick(1000);
    assertEquals(List.of("finished", "finished", "running"), List.of(state(a), state(b), state(c)));
    assertTrue(summary().path("has_capacity").asBoolean(false));
  }

  private JsonNode summary() {
    for (io.scrapinghubio.client.ProjectSummary n : client.projects().summary()) {
      if (n.project() == project) {
        return n.json();
      }
    }
    throw new AssertionError("no summary for project " + project);
  }

  @Test
  void higherPriorityStartsFirst() {
    Job low = run(RunRequest.of("books").withArg("n", "low").withPriority(0).withUnits(2));
    Job high = run(RunRequest.of("books").withArg("n", "high").withPriority(4).withUnits(2));
    tick(100);
    assertEquals("pending", state(low));
    assertEquals("running", state(high));
  }

  @Test
  void duplicateWhilePendingOrRunningButNotAfterwards() {
    Map<String, String> args = Map.of("category", "travel");
    Job first = run(RunRequest.of("books").withArgs(args));
    assertThrows(DuplicateJobException.class, () -> run(RunRequest.of("books").withArgs(args)));
    tick(100);
    assertEquals("running", state(first));
    assertThrows(DuplicateJobException.class, () -> run(RunRequest.of("books").withArgs(args)));
    run(RunRequest.of("books").withArgs(Map.of("category", "poetry"))); // other args: fine
    tick(1000);
    assertEquals("finished", state(first));
    Job again = run(RunRequest.of("books").withArgs(args));
    assertEquals("pending", state(again));
  }

  @Test
  void unknownSpiderIsRefusedWhenSpidersAreDeclared() {
    BadRequestException e = assertThrows(BadRequestException.class, () -> run(RunRequest.of("nope")));
    assertTrue(e.getMessage().contains("Spider nope not found"), e.getMessage());
  }

  @Test
  void jobsCreatedWithAnInitialStateOrThroughTheStoreAreNotSimulated() {
    Job running = run(RunRequest.of("books").withArg("n", "x").withMeta(Map.of("state", "running")));
    JobState stored = emu.state().addJob(project, "books", "pending", Map.of());
    tick(5000);
    assertEquals("running", state(running));
    assertEquals("pending", stored.state());
    assertFalse(stored.simulated());
    assertTrue(running.metadata().get("close_reason").isNull());
  }

  @Test
  void backgroundTickAdvancesCrawlsOnTheRealClock() throws Exception {
    emu.state().clock(System::currentTimeMillis);
    Job job = run(RunRequest.of("books").withArg("run_ms", "100").withArg("items", "3"));
    long deadline = System.currentTimeMillis() + 5000;
    while (!"finished".equals(emu.state().job(job.key().toString()).orElseThrow().state())) {
      assertTrue(System.currentTimeMillis() < deadline, "job did not finish on the background tick");
      Thread.sleep(20);
    }
    assertEquals(3, emu.state().stats(job.key().toString(), io.scrapinghubio.emulator.store.RecordType.ITEMS).inputValues());
  }
}
