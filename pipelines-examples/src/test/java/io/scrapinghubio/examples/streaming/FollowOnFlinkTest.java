package io.scrapinghubio.examples.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.store.JobState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Following a project on embedded Flink in streaming mode, checkpoints on, while the emulator's
 * crawl simulation runs the crawls it is given: what is delivered, when, and after a failure.
 * Every assertion is about what arrived, never about how fast.
 */
class FollowOnFlinkTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** First time each record key reached the sink (wall clock, which is also the emulator's clock here). */
  private static final Map<String, Map<String, Long>> ARRIVALS = new ConcurrentHashMap<>();

  private static ScrapyCloudEmulator emu;
  private static ScrapinghubClient client;
  private static long nextProject = 7700;

  @BeforeAll
  static void start() {
    // 20 items a second in pages of 4: a 60-item job runs 3 s, long enough to be read while running.
    emu = ScrapyCloudEmulator.builder().apiKey(KEY)
        .crawlSimulation(CrawlSimulation.builder().pendingTime(java.time.Duration.ofMillis(50)).itemsPerSecond(20)
            .itemsPerPage(4).statsInterval(java.time.Duration.ofMillis(500)).unitsCapacity(6)
            .spider("books", CrawlSimulation.Spider.defaults()).build())
        .start();
    client = ScrapinghubClient.create(clientConfig());
  }

  @AfterAll
  static void stop() {
    client.close();
    emu.close();
  }

  private static ClientConfig clientConfig() {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build();
  }

  /** Record key to {@code json @ event-time}; also notes when each key first arrived. */
  private static final class ToKeyed extends DoFn<ScrapinghubRecord, KV<String, String>> {
    private final String test;

    ToKeyed(String test) {
      this.test = test;
    }

    @ProcessElement
    public void process(@Element ScrapinghubRecord r, @Timestamp Instant ts, OutputReceiver<KV<String, String>> out) {
      ARRIVALS.computeIfAbsent(test, t -> new ConcurrentHashMap<>()).putIfAbsent(r.key(), System.currentTimeMillis());
      out.output(KV.of(r.key(), r.json() + " @" + ts.getMillis()));
    }
  }

  private static Job schedule(long project, String category, int items) {
    return client.getProject(project).jobs().run(RunRequest.of("books").withArg("category", category)
        .withArg("items", Integer.toString(items)));
  }

  /**
   * Starts following {@code project} (running jobs too, ending after 8 polls with nothing new) on
   * embedded Flink; {@code failAfter > 0} puts a task that throws once after that many records
   * between the read and the sink.
   */
  private static CompletableFuture<PipelineResult> follow(String test, long project, long failAfter) {
    KeyedStore.clear(test);
    ARRIVALS.remove(test);
    Pipeline p = Pipeline.create(EmbeddedFlinkStreaming.options(300));
    PCollection<ScrapinghubRecord> records = p.apply("Follow", ScrapinghubIO.read()
        .withConnection(ScrapinghubConnection.fromClientConfig(clientConfig())).withProject(project)
        .continuously(Duration.millis(250)).withRunningJobs().withTerminationAfterIdlePolls(8));
    if (failAfter > 0) {
      records = records.apply("ThrowOnce", ParDo.of(ThrowOnce.<ScrapinghubRecord>after(test, failAfter)));
    }
    records.apply("Keyed", ParDo.of(new ToKeyed(test))).apply("Sink", KeyedStore.upsertInto(test));
    // The Flink runner's run() returns when the embedded job has ended.
    return CompletableFuture.supplyAsync(p::run);
  }

  /** What each job wrote, as the sink stores it: key to {@code json @ _ts}. */
  private static Map<String, String> written(List<Job> jobs) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Job j : jobs) {
      for (var r : j.items().iter(j.items().spec().withTimestamps(true))) {
        out.put(j.key() + "/" + r.index(), r.json() + " @" + r.timestamp());
      }
    }
    return out;
  }

  private static Map<String, JsonNode> parsed(Map<String, String> keyed) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Map.Entry<String, String> e : keyed.entrySet()) {
      String v = e.getValue();
      int at = v.lastIndexOf(" @");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("item", JSON.readTree(v.substring(0, at)));
      m.put("ts", Long.parseLong(v.substring(at + 2)));
      out.put(e.getKey(), JSON.valueToTree(m));
    }
    return out;
  }

  private static long finishedTime(Job j) {
    return ((Number) emu.state().job(j.key().toString()).orElseThrow().get("finished_time")).longValue();
  }

  @Test
  @Timeout(300) // a hang guard only
  void jobsScheduledWhileThePipelineRunsArriveExactlyOnceAndRunningJobsItemsBeforeTheyFinish() throws Exception {
    String test = "follow-live";
    long project = ++nextProject;
    emu.state().project(project);
    Job before = schedule(project, "before", 12); // already running or finished when the pipeline starts
    CompletableFuture<PipelineResult> run = follow(test, project, 0);
    emu.requestLog().awaitMatching("GET", "^/jobq/" + project + "/list$", 1, java.time.Duration.ofMinutes(3));
    List<Job> jobs = new ArrayList<>(List.of(before, schedule(project, "poetry", 60), schedule(project, "travel", 60)));
    // A job scheduled once the pipeline has delivered items of the others.
    while (ARRIVALS.getOrDefault(test, Map.of()).size() < 20 && !run.isDone()) {
      Thread.sleep(50);
    }
    jobs.add(schedule(project, "history", 60));
    PipelineResult result = run.get();

    assertEquals(PipelineResult.State.DONE, result.getState(), "ended by its termination condition");
    for (Job j : jobs) {
      assertEquals(JobState.FINISHED, emu.state().job(j.key().toString()).orElseThrow().state());
    }
    KeyedStore store = KeyedStore.named(test);
    assertEquals(parsed(written(jobs)), parsed(store.state()), "every item of every job, with its _ts as event time");
    assertEquals(12 + 3 * 60, store.state().size());
    store.writesPerKey().forEach((k, n) -> assertEquals(1L, n, k + " delivered " + n + " times"));
    for (Job j : jobs) {
      // Size checks of a job keep to the poll interval (250 ms) while it runs, even while Flink drains.
      JobState st = emu.state().job(j.key().toString()).orElseThrow();
      long ran = finishedTime(j) - ((Number) st.get("running_time")).longValue();
      long checks = emu.requestLog().matching("GET", "^/items/" + j.key() + "/stats$").size();
      assertTrue(checks <= ran / 250 + 4, j.key() + ": " + checks + " size checks while it ran " + ran + " ms");
    }
    for (Job j : jobs.subList(1, jobs.size())) {
      long finished = finishedTime(j);
      long early = ARRIVALS.get(test).entrySet().stream()
          .filter(e -> e.getKey().startsWith(j.key() + "/") && e.getValue() < finished).count();
      assertTrue(early > 0, j.key() + ": no item arrived before the job finished at " + finished);
    }
  }

  @Test
  @Timeout(300) // a hang guard only
  void aTaskThatFailsMidStreamRecoversFromItsCheckpointAndTheKeyedSinkHasEveryItemOnce() throws Exception {
    String test = "follow-fail";
    long project = ++nextProject;
    emu.state().project(project);
    CompletableFuture<PipelineResult> run = follow(test, project, 70);
    emu.requestLog().awaitMatching("GET", "^/jobq/" + project + "/list$", 1, java.time.Duration.ofMinutes(3));
    List<Job> jobs = List.of(schedule(project, "poetry", 60), schedule(project, "travel", 60), schedule(project, "science", 60));
    PipelineResult result = run.get();

    assertEquals(PipelineResult.State.DONE, result.getState());
    assertTrue(ThrowOnce.thrown(test), "the task failed once mid-stream");
    KeyedStore store = KeyedStore.named(test);
    assertEquals(parsed(written(jobs)), parsed(store.state()), "nothing lost, nothing extra, after the restart");
    long writes = store.writesPerKey().values().stream().mapToLong(Long::longValue).sum();
    assertTrue(writes >= store.state().size(), "at least once into a sink that appends");
    System.out.printf("follow on Flink after one task failure: %d items, %d writes, %d re-deliveries "
        + "(an idempotent keyed sink ends with each once; an appending sink would keep them)%n",
        store.state().size(), writes, store.redeliveries());
  }
}
