package io.scrapinghubio.client;

import io.scrapinghubio.client.core.RetryPolicy;

import io.scrapinghubio.client.core.ClientConfig;

import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.JobKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.ForbiddenException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.ServerErrorException;
import io.scrapinghubio.client.errors.TransportException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.ReadSpec;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client end to end against the local emulator: every feature, every error mapping, retries under faults. */
class ClientEmulatorTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long P = DemoData.DEFAULT_PROJECT;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY)
      .demoData(DemoData.of(3, 2500));

  /** Fast retries: ms backoffs, enough attempts for the injected faults. */
  static final RetryPolicy FAST = RetryPolicy.of(6, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(20));

  private ScrapyCloudEmulator emu;
  private ScrapinghubClient client;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = client(KEY);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private ScrapinghubClient client(String key) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(key).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(FAST).readTimeout(Duration.ofSeconds(20)).build());
  }

  private List<LoggedRequest> requests(String method, String pathRegex) {
    return emu.requestLog().matching(method, pathRegex);
  }

  /**
   * How many matching requests the emulator logged. Every request the client made has arrived
   * once its call returned, and the log's reads wait until arrived requests are logged.
   */
  private int count(String method, String pathRegex) {
    return requests(method, pathRegex).size();
  }

  private String demoJob() {
    return emu.demoJobs().get(0);
  }

  // ------------------------------------------------------------------ features

  @Test
  void runWithEverythingThenDuplicate() {
    Jobs jobs = client.getProject(P).jobs();
    RunRequest req = RunRequest.of("products").withArg("category", "poetry").withUnits(2).withPriority(3)
        .withTags("nightly", "eu").withJobSettings(Map.of("CONCURRENT_REQUESTS", 4)).withMeta(Map.of("team", "data"))
        .withParam("subid", "x1");
    Job job = jobs.run(req);
    JobMeta m = job.metadata();
    assertEquals("pending", m.get("state").asText());
    assertEquals("poetry", m.get("spider_args").path("category").asText());
    assertEquals(2, m.get("units").asInt());
    assertEquals(3, m.get("priority").asInt());
    assertEquals("data", m.get("team").asText());
    assertTrue(m.get("tags").toString().contains("nightly"));
    LoggedRequest sent = requests("POST", "^/api/run\\.json$").get(0);
    assertTrue(sent.bodyText().contains("add_tag=nightly&add_tag=eu"), sent.bodyText());

    assertThrows(DuplicateJobException.class, () -> jobs.run(req));
    assertEquals(2, count("POST", "^/api/run\\.json$"));
    job.cancel();
  }

  @Test
  void runIsNotRetriedOnServerError() {
    emu.faults().failNext(1, 503, "POST", "^/api/run\\.json$");
    Jobs jobs = client.getProject(P).jobs();
    assertThrows(ServerErrorException.class, () -> jobs.run(RunRequest.of("reviews").withParam("subid", "no-retry")));
    assertEquals(1, count("POST", "^/api/run\\.json$"), "run.json is not idempotent: never re-sent after a 5xx");
  }

  @Test
  void countIterListSummaryIterLast() {
    Jobs jobs = client.getProject(P).jobs();
    long finished = jobs.count();
    assertTrue(finished >= 3, "demo jobs are finished: " + finished);
    List<JobSummary> all = jobs.list(JobQuery.all());
    assertEquals(finished, all.size());
    assertTrue(all.stream().allMatch(s -> "finished".equals(s.state())));
    assertEquals(2, jobs.list(JobQuery.all().limit(2)).size());
    List<JobQueueSummary> summary = jobs.summary();
    assertEquals(3, summary.size());
    assertEquals(finished, jobs.summary("finished").count());
    assertEquals(1, jobs.summary("finished", 1, List.of()).jobs().size());
    List<JobSummary> last = jobs.iterLast();
    assertFalse(last.isEmpty());
    Spider products = client.getProject(P).spiders().get("products");
    assertEquals(1, products.jobs().iterLast().size());
    assertEquals(products.jobs().count(), products.jobs().list(JobQuery.all()).size());
    assertTrue(products.jobs().summary("finished").count() >= 1);
    assertEquals("products", jobs.iterLast("products").get(0).spider());
    assertFalse(client.projects().summary().isEmpty());
    assertTrue(client.projects().list().contains(P));
  }

  @Test
  void summariesOfManyJobsInOneRequest() {
    Jobs jobs = client.getProject(P).jobs();
    Job pending = jobs.run(RunRequest.of("reviews").withParam("subid", "summaries"));
    List<String> keys = new ArrayList<>(emu.demoJobs());
    keys.add(pending.key().toString());
    String unknown = P + "/999/999";
    keys.add(unknown);

    Map<JobKey, JobSummary> seen = jobs.summaries(keys);

    List<LoggedRequest> polls = requests("GET", "^/jobq/" + P + "/jobsummary$");
    assertEquals(1, polls.size(), "all keys in one request");
    assertEquals(keys, polls.get(0).query().get("key"));
    assertEquals(keys.size() - 1, seen.size(), "the unknown job is absent: " + seen.keySet());
    assertFalse(seen.containsKey(JobKey.parse(unknown)));
    for (String demo : emu.demoJobs()) {
      JobSummary s = seen.get(JobKey.parse(demo));
      assertEquals("finished", s.state(), demo);
      assertEquals(demo, s.key().toString());
    }
    assertEquals("pending", seen.get(pending.key()).state());
    pending.cancel();
  }

  @Test
  void summariesSplitLongKeyListsAndRetryLikeAnyRead() {
    Jobs jobs = client.getProject(P).jobs();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= Jobs.SUMMARY_BATCH + 1; i++) {
      keys.add(P + "/777/" + i); // no such spider: every key is unknown, the answers are empty
    }
    emu.faults().failNext(1, 503, "GET", "^/jobq/" + P + "/jobsummary$");

    assertTrue(jobs.summaries(keys).isEmpty());

    List<LoggedRequest> polls = requests("GET", "^/jobq/" + P + "/jobsummary$");
    assertEquals(3, polls.size(), "one 503 retried (a read is idempotent), then the second batch");
    assertEquals(503, polls.get(0).status());
    assertEquals(keys.subList(0, Jobs.SUMMARY_BATCH), polls.get(1).query().get("key"));
    assertEquals(keys.subList(Jobs.SUMMARY_BATCH, keys.size()), polls.get(2).query().get("key"));
  }

  @Test
  void summariesRefuseKeysOfOtherProjectsBeforeAnyRequest() {
    Jobs jobs = client.getProject(P).jobs();
    assertTrue(jobs.summaries(List.of()).isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> jobs.summaries(List.of(P + "/1/1", (P + 1) + "/1/1")));
    assertTrue(e.getMessage().contains("does not belong to project " + P), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> jobs.summaries(List.of("not-a-key")));
    assertEquals(0, count("GET", "^/jobq/.*/jobsummary$"));
  }

  @Test
  void lifecycleTagsAndCancel() {
    Spider reviews = client.getProject(P).spiders().get("reviews");
    Job job = reviews.jobs().run(RunRequest.create().withParam("subid", "life").withTags("t1"));
    assertEquals("pending", job.start(Map.of("worker", "w1")));
    assertEquals("running", job.metadata().get("state").asText());
    assertEquals("w1", job.metadata().get("worker").asText());
    assertEquals(1, job.updateTags(List.of("t2"), List.of("t1")));
    assertEquals("[\"t2\"]", job.metadata().get("tags").toString());
    assertTrue(reviews.jobs().updateTags(List.of("all"), List.of()) >= 1);
    assertEquals("running", job.finish());
    assertEquals("finished", job.delete());
    assertEquals("deleted", job.metadata().get("state").asText());

    Job a = reviews.jobs().run(RunRequest.create().withParam("subid", "c1"));
    Job b = reviews.jobs().run(RunRequest.create().withParam("subid", "c2"));
    assertEquals(2, client.getProject(P).jobs().cancel(List.of(a.key().toString(), b.key().toString())));
    assertEquals("finished", a.metadata().get("state").asText());
    Job c = reviews.jobs().run(RunRequest.create().withParam("subid", "c3"));
    c.cancel();
    assertEquals("finished", c.metadata().get("state").asText());

    List<String> tags = reviews.updateTags(List.of("s1", "s2"), List.of());
    assertTrue(tags.containsAll(List.of("s1", "s2")));
    assertEquals(tags, reviews.listTags());
    assertFalse(reviews.updateTags(List.of(), List.of("s1")).contains("s1"));
  }

  @Test
  void metadata() {
    Job job = client.getProject(P).jobs().run(RunRequest.of("categories").withParam("subid", "meta")
        .withMeta(Map.of("m1", "v1")));
    JobMeta m = job.metadata();
    m.set("m2", Map.of("nested", List.of(1, 2)));
    assertEquals("[1,2]", m.get("m2").path("nested").toString());
    m.update(Map.of("m1", "v1b", "m3", 3));
    assertEquals("v1b", m.get("m1").asText());
    assertEquals(3, m.get("m3").asInt());
    assertEquals("pending", m.get("state").asText(), "update never writes state back");
    m.delete("m3");
    assertTrue(m.get("m3").isNull());
    JsonNode all = m.list();
    assertEquals("categories", all.path("spider").asText());
    assertTrue(m.iter().size() == all.size());
    job.cancel();
  }

  @Test
  void jobDataOptions() {
    Job job = client.getJob(demoJob());
    JobData items = job.items();
    assertEquals(2500, items.count());
    JobRecord third = items.get(2);
    assertEquals(2, third.index());
    List<JobRecord> slice = items.list(items.spec().withOffset(10).withCount(5));
    assertEquals(List.of(10L, 11L, 12L, 13L, 14L), slice.stream().map(JobRecord::index).toList());
    assertEquals(Json.parse(items.list(items.spec().withOffset(2).withCount(1)).get(0).json()), Json.parse(third.json()));
    List<JobRecord> after = items.list(items.spec().withStartAfter(demoJob() + "/2497"));
    assertEquals(List.of(2498L, 2499L), after.stream().map(JobRecord::index).toList());
    List<JobRecord> keyed = items.list(items.spec().withStart(demoJob() + "/5").withCount(2).withKeepKey(true));
    assertEquals(demoJob() + "/5", Json.parse(keyed.get(0).json()).path("_key").asText());
    assertTrue(Json.parse(slice.get(0).json()).path("_key").isMissingNode());
    assertThrows(NotFoundException.class, () -> items.get(1_000_000));

    Logs logs = job.logs();
    List<JobRecord> all = logs.list();
    long errors = all.stream().filter(r -> Json.parse(r.json()).path("level").asInt() >= 40).count();
    List<JobRecord> errorLogs = logs.list(LogLevel.ERROR);
    assertEquals(errors, errorLogs.size());
    assertTrue(errorLogs.stream().allMatch(r -> Json.parse(r.json()).path("level").asInt() >= 40));
    assertEquals(job.requests().count(), job.requests().list().size());
    assertEquals(job.samples().count(), job.samples().list().size());
  }

  // ------------------------------------------------------------------ errors

  @Test
  void unauthorizedNamesFingerprintAndHostButNotTheKey() {
    String wrong = "ffffffffffffffffffffffffffffffff";
    try (ScrapinghubClient bad = client(wrong)) {
      UnauthorizedException st = assertThrows(UnauthorizedException.class, () -> bad.getJob(demoJob()).items().count());
      UnauthorizedException da = assertThrows(UnauthorizedException.class, () -> bad.projects().list());
      for (UnauthorizedException e : List.of(st, da)) {
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(ApiKey.fingerprint(wrong)), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
      }
      assertEquals(1, count("GET", "/stats$"), "401 is never retried");
    }
  }

  @Test
  void clientErrorsAreNotRetried() {
    Job job = client.getJob(demoJob());
    Object[][] cases = {{400, BadRequestException.class}, {403, ForbiddenException.class},
        {404, NotFoundException.class}, {413, ValueTooLargeException.class}, {409, ScrapinghubException.class}};
    for (Object[] c : cases) {
      emu.resetFaults();
      emu.faults().failNext(1, (Integer) c[0], "GET", "/stats$");
      @SuppressWarnings("unchecked")
      Class<? extends Throwable> type = (Class<? extends Throwable>) c[1];
      Throwable t = assertThrows(type, () -> job.items().stats());
      assertEquals(c[0], ((ScrapinghubException) t).status());
      assertEquals(1, count("GET", "/stats$"), "HTTP " + c[0] + " is never retried");
    }
  }

  @Test
  void serverErrorsRetriedThenMapped() {
    Job job = client.getJob(demoJob());
    emu.faults().failNext(2, 503, "GET", "/stats$");
    assertEquals(2500, job.items().count());
    assertEquals(3, count("GET", "/stats$"));
    emu.resetFaults();
    emu.faults().failNext(100, 500, "GET", "/stats$");
    ServerErrorException e = assertThrows(ServerErrorException.class, () -> job.items().count());
    assertEquals(500, e.status());
    assertEquals(FAST.maxAttempts(), count("GET", "/stats$"));
  }

  @Test
  void dashErrors() {
    Jobs jobs = client.getProject(P).jobs();
    emu.faults().failNext(1, 404, "POST", "^/api/jobs/update\\.json$");
    assertThrows(NotFoundException.class, () -> jobs.updateTags("products", List.of("x"), List.of()));
    // (the emulator schedules unknown spiders, so a dash 400 is injected here)
    emu.faults().failNext(1, 400, "POST", "^/api/run\\.json$");
    ScrapinghubException bad = assertThrows(ScrapinghubException.class, () -> jobs.run(RunRequest.of("products").withParam("subid", "e400")));
    assertEquals(400, bad.status());
    assertFalse(bad instanceof DuplicateJobException);
    assertEquals(1, count("POST", "^/api/run\\.json$"));
  }

  // ------------------------------------------------------------------ exact reads under faults

  private static List<byte[]> read(JobData data, ReadSpec spec) {
    List<byte[]> out = new ArrayList<>();
    long expected = spec.from();
    for (JobRecord r : data.iter(spec)) {
      assertEquals(expected++, r.index(), "records in order, none skipped or repeated");
      out.add(r.jsonBytes());
    }
    return out;
  }

  @Test
  void multiPageReadIsExactUnderFaults() {
    JobData items = client.getJob(demoJob()).items();
    // A read of known length (as a pipeline's range): pages of 97 up to its end, three in flight.
    ReadSpec spec = items.spec().withCount(2500).withPageSize(97).withPrefetchPages(2);
    List<byte[]> clean = read(items, spec);
    assertEquals(2500, clean.size());
    for (LoggedRequest r : requests("GET", "^/items/")) {
      assertTrue(Integer.parseInt(r.param("count")) <= 97, "bounded pages: count=" + r.param("count"));
    }

    emu.resetFaults();
    emu.faults().rule().method("GET").path("^/items/").status(429).retryAfter(1).times(3);
    emu.faults().rule().method("GET").path("^/items/").status(503).skip(4).times(3);
    emu.faults().rule().method("GET").path("^/items/").truncateAfter(5000).skip(8).times(3);
    emu.faults().rule().method("GET").path("^/items/").resetConnection().skip(12).times(3);
    emu.faults().rule().method("GET").path("^/items/").status(502).rate(0.1).times(5);
    List<byte[]> faulty = read(items, spec);
    assertTrue(emu.faults().injectedCount() >= 12, "faults injected: " + emu.faults().injected());
    assertEquals(clean.size(), faulty.size());
    for (int i = 0; i < clean.size(); i++) {
      assertArrayEquals(clean.get(i), faulty.get(i), "record " + i);
    }
    // An injected reset on a pooled connection looks exactly like a connection the server closed
    // while idle: it is repeated on a new connection (a reconnect), not retried.
    assertTrue(client.stats().retries() + client.stats().reconnects() >= 12,
        client.stats().retriesByStatus() + ", reconnects " + client.stats().reconnects());
  }

  @Test
  void logsAndRequestsReadExactlyUnderFaults() {
    Job job = client.getJob(demoJob());
    for (JobData data : List.of(job.logs(), job.requests())) {
      ReadSpec spec = data.spec().withPageSize(7);
      List<byte[]> clean = read(data, spec);
      emu.resetFaults();
      emu.faults().rule().method("GET").path("^/(logs|requests)/").truncateAfter(300).times(2);
      emu.faults().rule().method("GET").path("^/(logs|requests)/").status(504).skip(3).times(2);
      List<byte[]> faulty = read(data, spec);
      assertEquals(clean.size(), faulty.size());
      for (int i = 0; i < clean.size(); i++) {
        assertArrayEquals(clean.get(i), faulty.get(i));
      }
    }
  }

  @Test
  void connectionResetsExhaustToTransportError() {
    emu.faults().resetNext(100);
    TransportException e = assertThrows(TransportException.class, () -> client.getJob(demoJob()).items().stats());
    assertEquals(-1, e.status());
    assertFalse(e.getMessage().contains(KEY));
  }
}
