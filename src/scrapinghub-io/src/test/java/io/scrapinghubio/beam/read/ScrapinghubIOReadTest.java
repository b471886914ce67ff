package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubRead;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ScrapinghubIO.read()/readAll()} end to end against the emulator, on the Direct runner.
 * Public for its {@link #pipeline()} and {@link #counter}, which the follow and rows tests share.
 */
public class ScrapinghubIOReadTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static long nextProject = 100;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject; // a fresh project per test: tests share one emulator
  }

  /** A Direct runner pipeline with four workers. */
  public static Pipeline pipeline() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    return Pipeline.create(o);
  }

  private ScrapinghubRead<ScrapinghubRecord> read() {
    return ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project);
  }

  @Test
  void readsEveryItemOfEveryFinishedJobExactlyOnce() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 2500);
    String b = ReadFixture.job(emu, project, "products", "finished", List.of(), 1);
    String c = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 7001);
    ReadFixture.job(emu, project, "reviews", "finished", List.of(), 0); // empty: no restriction at all
    ReadFixture.job(emu, project, "reviews", "running", List.of(), 50); // not finished: not read

    Pipeline p = pipeline();
    p.apply(read().withChunkItems(1000).withPageSize(300)).apply(Collected.into("all"));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Collected.assertExactlyOnce("all", ReadFixture.expected(emu, RecordType.ITEMS, a, b, c));
    assertEquals(9502, counter(r, "read_records"));
    assertEquals(4, counter(r, "read_jobs_listed"));
    assertEquals(1, counter(r, "read_jobs_empty"));
    assertEquals(3, counter(r, "read_jobs"));
    assertTrue(counter(r, "read_requests") >= 9502 / 300, "paged requests");
    // Bounded pages: every item request asked for at most the page size.
    emu.requestLog().matching("GET", "^/items/" + project + "/\\d+/\\d+$").forEach(req ->
        assertTrue(Integer.parseInt(Objects.requireNonNull(req.query().get("count")).get(0)) <= 300, req.toString()));
  }

  @Test
  void eachChunkIsReadWholeAndEachPageDownloadedOnce() throws InterruptedException {
    // The default read takes each chunk from start to end in one call: no checkpoint, no reopened
    // reader, so each page of the job is requested exactly once.
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 20_000);
    Pipeline p = pipeline();
    p.apply(read().withChunkItems(5000).withPageSize(1000).withPrefetchPages(2)).apply(Collected.into("whole"));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Collected.assertExactlyOnce("whole", ReadFixture.expected(emu, RecordType.ITEMS, a));
    String pages = "^/items/" + a + "$";
    assertEquals(20, emu.requestLog().awaitMatching("GET", pages, 20).size(), "one request per page of 1000");
    assertEquals(4, counter(r, "read_ranges_opened"), "one reader per chunk");
  }

  @Test
  void dynamicSplittingSurvivesCheckpointsExactlyOnce() {
    // The Direct runner checkpoints a splittable DoFn every 100 outputs: every residual reopens
    // its range where the claim was refused, and each record is still emitted exactly once.
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 3_000);
    Pipeline p = pipeline();
    p.apply(read().withChunkItems(1000).withPageSize(250).withDynamicSplitting()).apply(Collected.into("split"));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Collected.assertExactlyOnce("split", ReadFixture.expected(emu, RecordType.ITEMS, a));
    assertEquals(3_000, counter(r, "read_records"));
    assertTrue(counter(r, "read_ranges_opened") > 3, "checkpoints reopened residual ranges: " + counter(r, "read_ranges_opened"));
  }

  /**
   * The emulator's {@code --fault-rate 0.1} (429, 500, 503, dropped connections and bodies cut after
   * 4 KiB, 2% each, on every request) under the read's defaults: streamed pages of 2,500, four in
   * flight, every record exactly once.
   */
  @Test
  void everyRecordOnceUnderTheEmulatorsFaultRate() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      jobs.add(ReadFixture.job(emu, project, "s" + (i % 2), "finished", List.of(), 12_000));
    }
    List<ScrapinghubRecord> expected = ReadFixture.expected(emu, RecordType.ITEMS, jobs.toArray(new String[0]));
    emu.faults().mixed(0.1);
    try {
      Pipeline p = pipeline();
      p.apply(read()).apply(Collected.into("fault-rate"));
      p.run().waitUntilFinish();
      Collected.assertExactlyOnce("fault-rate", expected);
      assertTrue(emu.faults().injectedCount(FaultKind.TRUNCATE) > 0, "bodies were cut: " + emu.faults().injected().size());
    } finally {
      emu.resetFaults();
    }
  }

  @Test
  void injectedFaultsLoseAndDoubleNothing() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      jobs.add(ReadFixture.job(emu, project, "s" + (i % 3), "finished", List.of(), 13_000));
    }
    List<ScrapinghubRecord> expected = ReadFixture.expected(emu, RecordType.ITEMS, jobs.toArray(new String[0]));
    String items = "^/items/" + project + "/";
    emu.faults().rule().path(items).status(429).retryAfter(0).rate(0.05);
    emu.faults().rule().path(items).status(503).retryAfter(0).rate(0.03);
    emu.faults().rule().path(items).status(500).rate(0.02);
    emu.faults().rule().path(items).truncateAfter(3_000).rate(0.04);
    emu.faults().rule().path(items).resetConnection().rate(0.02);
    emu.faults().rule().path(items).resetAfterHandling().rate(0.02);

    Pipeline p = pipeline();
    p.apply(read().withChunkItems(3000).withPageSize(500)).apply(Collected.into("faults"));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Collected.assertExactlyOnce("faults", expected);

    assertEquals(104_000, expected.size());
    for (FaultKind kind : List.of(FaultKind.STATUS, FaultKind.TRUNCATE, FaultKind.RESET, FaultKind.RESET_AFTER_HANDLING)) {
      assertTrue(emu.faults().injectedCount(kind) > 0, "no " + kind + " fault was injected");
    }
    assertTrue(counter(r, "read_retries") > 0, "faults were retried");
    assertTrue(counter(r, "read_retries_429") > 0);
  }

  @Test
  void selectsJobsBySpiderTagStateAndExplicitKeys() {
    String ready = ReadFixture.job(emu, project, "products", "finished", List.of("ready"), 30);
    String readyDone = ReadFixture.job(emu, project, "products", "finished", List.of("ready", "done"), 20);
    String other = ReadFixture.job(emu, project, "reviews", "finished", List.of("ready"), 10);
    String running = ReadFixture.job(emu, project, "products", "running", List.of(), 5);

    Pipeline p = pipeline();
    PAssert.that(p.apply("BySpider", read().withSpiders("products")))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, ready, readyDone));
    PAssert.that(p.apply("ByTags", read().withHasTag("ready").withLacksTag("done")))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, ready, other));
    PAssert.that(p.apply("Running", read().withStates("running")))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, running));
    PAssert.that(p.apply("Explicit", ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withJobs(other, running)))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, other, running));
    PAssert.that(p.apply("Limited", read().withSpiders("products").withMaxJobs(1)))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, readyDone)); // newest first
    p.run().waitUntilFinish();
  }

  @Test
  void readAllReadsKeysFromThePipeline() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 1200);
    String b = ReadFixture.job(emu, project, "products", "running", List.of(), 300);
    Pipeline p = pipeline();
    PCollection<ScrapinghubRecord> out = p.apply(Create.of(a, b))
        .apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).withChunkItems(500));
    PAssert.that(out).containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, a, b));
    p.run().waitUntilFinish();
  }

  /** A job named twice is one set of records: read once, by read().withJobs and by readAll(). */
  @Test
  void aJobNamedTwiceIsReadOnce() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 100);
    String b = ReadFixture.job(emu, project, "products", "finished", List.of(), 30);
    Pipeline p = pipeline();
    List<ScrapinghubRecord> expected = ReadFixture.expected(emu, RecordType.ITEMS, a, b);
    PAssert.that(p.apply("Named", ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withJobs(a, b, a)))
        .containsInAnyOrder(expected);
    PAssert.that(p.apply(Create.of(a, a, b, a))
        .apply("All", ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)))).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  /**
   * ReadResult.jobs(): the keys of the jobs the read listed and read, each once, an empty job
   * included, and none that the selection excludes; the same for readAll() named twice.
   */
  @Test
  void theResultNamesEveryJobItRead() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 20);
    String empty = ReadFixture.job(emu, project, "products", "finished", List.of(), 0);
    String running = ReadFixture.job(emu, project, "products", "running", List.of(), 5);
    String tagged = ReadFixture.job(emu, project, "products", "finished", List.of("exported"), 7);
    Pipeline p = pipeline();
    ReadResult<ScrapinghubRecord> listed = p.apply("Listed", ScrapinghubIO.read().withConnection(ReadFixture.connection(emu))
        .withProject(project).withLacksTag("exported").withResult());
    PAssert.that(listed.jobs()).containsInAnyOrder(a, empty);
    PAssert.that(listed.records()).containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, a));
    ReadResult<ScrapinghubRecord> named = p.apply(Create.of(a, tagged, a))
        .apply("Named", ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).withResult());
    PAssert.that(named.jobs()).containsInAnyOrder(a, tagged);
    p.run().waitUntilFinish();
    assertTrue(!running.isEmpty());
  }

  /**
   * withoutRecords(): the read fetches only what the set lacks; a job held whole gets no record
   * request at all, and jobs() still names every job selected.
   */
  @Test
  void withoutRecordsReadsOnlyTheRest() {
    String whole = ReadFixture.job(emu, project, "products", "finished", List.of(), 20);
    String part = ReadFixture.job(emu, project, "products", "finished", List.of(), 15);
    String none = ReadFixture.job(emu, project, "products", "finished", List.of(), 10);
    RecordRanges written = new RecordRanges();
    written.add(whole, 0, 20);
    written.add(part, 3, 7);
    written.add(part, 10, 12);
    List<ScrapinghubRecord> expected = new java.util.ArrayList<>(ReadFixture.expected(emu, RecordType.ITEMS, none));
    for (ScrapinghubRecord r : ReadFixture.expected(emu, RecordType.ITEMS, part)) {
      if (!written.contains(r.jobKey(), r.index())) {
        expected.add(r);
      }
    }
    assertEquals(10 + 15 - 6, expected.size());
    emu.requestLog().clear();
    Pipeline p = pipeline();
    ReadResult<ScrapinghubRecord> read = p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu))
        .withProject(project).withoutRecords(written).withResult());
    written.add(none, 0, 10); // the read took a copy: this changes nothing
    PAssert.that(read.records()).containsInAnyOrder(expected);
    PAssert.that(read.jobs()).containsInAnyOrder(whole, part, none);
    p.run().waitUntilFinish();
    // Its stats are asked (the sizing), its records never.
    assertEquals(1, emu.requestLog().matching("GET", "/items/" + whole + "/stats").size());
    assertEquals(List.of(), emu.requestLog().filter(r -> r.path().matches("/items/" + whole + "(/\\d+)?")),
        "no record of the job held whole is read");
  }

  /** withoutRecords() and continuously() are refused together, when the read is applied. */
  @Test
  void withoutRecordsIsNotForAContinuousRead() {
    RecordRanges written = new RecordRanges();
    written.add(project + "/1/1", 0, 5);
    Pipeline p = pipeline();
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project)
            .withoutRecords(written).continuously(org.joda.time.Duration.standardSeconds(5))));
    assertTrue(e.getMessage().contains("withoutRecords(5 records of 1 jobs)"), e.getMessage());
  }

  /** A continuous read has no fixed set of jobs: jobs() says so. */
  @Test
  void aContinuousReadHasNoJobsToName() {
    Pipeline p = pipeline();
    ReadResult<ScrapinghubRecord> followed = p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu))
        .withProject(project).continuously(org.joda.time.Duration.standardSeconds(5)).withResult());
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, followed::jobs);
    assertTrue(e.getMessage().contains("markConsumed"), e.getMessage());
  }

  /** readAll() of a key that names no job fails naming it, rather than reading nothing. */
  @Test
  void readAllOfAMissingJobFailsNamingIt() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 10);
    String missing = project + "/1/999";
    Pipeline p = pipeline();
    p.apply(Create.of(a, missing)).apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
    org.junit.jupiter.api.Assertions.assertTrue(all.contains(missing) && all.contains("does not exist"), all);
  }

  /** With an error handler, readAll() reads the jobs that exist and hands the missing key to the handler. */
  @Test
  void readAllRoutesAMissingJobToItsErrorHandler() throws Exception {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 10);
    String missing = project + "/1/998";
    Pipeline p = pipeline();
    try (org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> handler =
        io.scrapinghubio.beam.BadRecordsSink.register(p, "missing-jobs")) {
      PCollection<ScrapinghubRecord> read = p.apply(Create.of(a, missing))
          .apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).withBadRecordErrorHandler(handler));
      PAssert.that(read).containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, a));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish();
    List<org.apache.beam.sdk.transforms.errorhandling.BadRecord> bad = io.scrapinghubio.beam.BadRecordsSink.get("missing-jobs");
    assertEquals(1, bad.size(), bad::toString);
    org.apache.beam.sdk.transforms.errorhandling.BadRecord b = bad.get(0);
    assertEquals("\"" + missing + "\"", b.getRecord().getHumanReadableJsonRecord());
    assertEquals(missing, org.apache.beam.sdk.coders.StringUtf8Coder.of()
        .decode(new java.io.ByteArrayInputStream(b.getRecord().getEncodedRecord())));
    String d = b.getFailure().getDescription();
    assertTrue(d.startsWith("NOT_FOUND: job " + missing + ": readAll(): job " + missing + " does not exist"), d);
    assertTrue(b.getFailure().getException().contains("NotFoundException"), b.getFailure().getException());
    for (String part : List.of(b.toString(), b.getFailure().getExceptionStacktrace(), d)) {
      assertFalse(part.contains(ReadFixture.KEY), "the API key in a bad record");
    }
    assertEquals(1, counter(r, "read_jobs_missing"));
  }

  @Test
  void readsLogsRequestsAndSamples() {
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 3);
    List<Object> logs = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      logs.add(Map.of("message", "line " + i, "level", i % 5 == 0 ? 40 : 20, "time", 1_700_000_000_000L + i));
    }
    emu.state().append(job, RecordType.LOGS, logs);
    List<Object> requests = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      requests.add(Map.of("url", "https://example.com/p/" + i, "status", 200, "method", "GET", "rs", 1000 + i,
          "duration", 12, "time", 1_700_000_000_000L + i, "fp", "fp" + i));
    }
    emu.state().append(job, RecordType.REQUESTS, requests);
    emu.state().append(job, RecordType.SAMPLES, List.of(List.of(1, 2, 3), List.of(4, 5, 6)));

    Pipeline p = pipeline();
    List<ScrapinghubRecord> allLogs = ReadFixture.expected(emu, RecordType.LOGS, job);
    List<ScrapinghubRecord> errors = new ArrayList<>();
    for (ScrapinghubRecord r : allLogs) {
      if (r.index() % 5 == 0) {
        errors.add(r);
      }
    }
    PAssert.that(p.apply("Logs", read().withDataType(JobDataType.LOGS).withPageSize(40).withChunkItems(100))).containsInAnyOrder(allLogs);
    PAssert.that(p.apply("Errors", read().withMinLogLevel("ERROR").withPageSize(7).withChunkItems(60))).containsInAnyOrder(errors);
    PAssert.that(p.apply("Requests", read().withDataType(JobDataType.REQUESTS).withPageSize(50)))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.REQUESTS, job));
    PAssert.that(p.apply("Samples", read().withDataType(JobDataType.SAMPLES)))
        .containsInAnyOrder(ReadFixture.expected(emu, RecordType.SAMPLES, job));
    p.run().waitUntilFinish();
    assertEquals(50, errors.size());
  }

  /** A user class bound with Jackson; {@code _key} carries the lineage. */
  @DefaultCoder(SerializableCoder.class)
  public static final class Product implements Serializable {
    @JsonProperty("_key") public String key;
    public long id;
    public String name;
    public double price;

    public Product() {}

    Product(String key, long id, String name, double price) {
      this.key = key;
      this.id = id;
      this.name = name;
      this.price = price;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Product && ((Product) o).key.equals(key) && ((Product) o).id == id
          && ((Product) o).name.equals(name) && ((Product) o).price == price;
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, id);
    }

    @Override
    public String toString() {
      return key + " " + id + " " + name + " " + price;
    }
  }

  @Test
  void typedAndRowOutputs() {
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 40);
    List<Product> products = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Schema schema = Schema.builder().addStringField("_key").addInt64Field("id").addStringField("name")
        .addDoubleField("price").addNullableField("missing", Schema.FieldType.STRING).build();
    for (int i = 0; i < 40; i++) {
      double price = Math.round(i * 1.37 * 100) / 100.0;
      products.add(new Product(job + "/" + i, i, "product " + i + " of products", price));
      rows.add(Row.withSchema(schema).addValues(job + "/" + i, (long) i, "product " + i + " of products", price, null).build());
    }
    Pipeline p = pipeline();
    PAssert.that(p.apply("Typed", read().as(Product.class))).containsInAnyOrder(products);
    PCollection<Row> rowOut = p.apply("Rows", read().asRows(schema));
    assertTrue(rowOut.hasSchema());
    PAssert.that(rowOut).containsInAnyOrder(rows);
    p.run().waitUntilFinish();
  }

  @Test
  void jobDeletedAfterListingIsSkippedNotFatal() {
    String kept = ReadFixture.job(emu, project, "products", "finished", List.of(), 100);
    String gone = ReadFixture.job(emu, project, "products", "finished", List.of(), 100);
    // The stats call succeeds, then every item request for the job answers 404 as if it was deleted.
    emu.faults().rule().path("^/items/" + gone.replace("/", "/") + "$").status(404);
    Pipeline p = pipeline();
    PAssert.that(p.apply(read())).containsInAnyOrder(ReadFixture.expected(emu, RecordType.ITEMS, kept));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(1, counter(r, "read_jobs_missing"));
  }

  /** The attempted total of the ScrapinghubIO counter {@code name}. */
  public static long counter(PipelineResult r, String name) {
    long total = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("ScrapinghubIO", name)).build()).getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
