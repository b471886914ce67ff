package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each record names its job's spider, and carries its store time when asked, on the Direct runner. */
class ReadProvenanceTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  /** What the pipeline saw, by record key: "spider ts". */
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
  private static long nextProject = 700;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    SEEN.clear();
  }

  /** Records what provenance each record arrived with (after a coder round trip between steps). */
  static final class RememberProvenance extends DoFn<ScrapinghubRecord, Void> {
    @ProcessElement
    public void process(@Element ScrapinghubRecord r) {
      SEEN.put(r.key(), r.spider().orElse("?") + " " + (r.storedAt().isPresent() ? r.storedAt().getAsLong() : "-"));
    }
  }

  @Test
  void everyRecordNamesItsSpiderAndItsStoreTime() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 1200);
    String b = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 30);
    String c = ReadFixture.job(emu, project, "products", "finished", List.of(), 5);
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project)
            .withStoreTimes().withChunkItems(500))
        .apply(ParDo.of(new RememberProvenance()));
    p.run().waitUntilFinish();
    assertEquals(1235, SEEN.size());
    for (String job : List.of(a, b, c)) {
      String spider = job.equals(b) ? "reviews" : "products";
      RecordLog.View stored = emu.state().records(job, RecordType.ITEMS).view();
      for (int i = 0; i < stored.size(); i++) {
        assertEquals(spider + " " + stored.timestamp(i), SEEN.get(job + "/" + i), job + "/" + i);
      }
    }
    // The names come with the listing: no job-queue summary is asked at all, per spider, job or record.
    assertEquals(0, emu.requestLog().matching("GET", "^/jobq/" + project + "/jobsummary$").size());
  }

  @Test
  void namedJobsTakeTheirSpiderFromTheExistenceCheck() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 4);
    String b = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 2);
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withJobs(a, b))
        .apply(ParDo.of(new RememberProvenance()));
    p.run().waitUntilFinish();
    for (int i = 0; i < 4; i++) {
      assertEquals("products -", SEEN.get(a + "/" + i));
    }
    assertEquals("reviews -", SEEN.get(b + "/1"));
    // The one summary request that checks the named jobs exist also names their spiders.
    assertEquals(1, emu.requestLog().matching("GET", "^/jobq/" + project + "/jobsummary$").size());
  }

  @Test
  void withoutStoreTimesRecordsStillNameTheirSpider() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 3);
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(org.apache.beam.sdk.transforms.Create.of(a))
        .apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)))
        .apply(ParDo.of(new RememberProvenance()));
    p.run().waitUntilFinish();
    assertEquals(3, SEEN.size());
    SEEN.values().forEach(v -> assertEquals("products -", v));
    // Keys a caller passes come without names: one summary per spider a worker meets, not per record.
    int summaries = emu.requestLog().matching("GET", "^/jobq/" + project + "/jobsummary$").size();
    assertTrue(summaries >= 1 && summaries <= 4, "job summaries asked: " + summaries);
  }

  @Test
  void samplesHaveNoStoreTime() {
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.apply(ScrapinghubIO.read()
        .withConnection(ReadFixture.connection(emu)).withProject(project).withDataType(JobDataType.SAMPLES).withStoreTimes()));
    assertTrue(e.getMessage().contains("samples carry no store time"), e.getMessage());
  }

  @Test
  void coderKeepsTheOldFormAndRoundTripsProvenance() throws Exception {
    byte[] json = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    ScrapinghubRecordCoder coder = ScrapinghubRecordCoder.of();
    // A record without provenance is encoded as before it existed: key, varint index, bytes.
    ByteArrayOutputStream old = new ByteArrayOutputStream();
    StringUtf8Coder.of().encode("1/2/3", old);
    VarLongCoder.of().encode(7L, old);
    ByteArrayCoder.of().encode(json, old);
    assertArrayEquals(old.toByteArray(), CoderUtils.encodeToByteArray(coder, ScrapinghubRecord.ofUtf8("1/2/3", 7, json)));
    ScrapinghubRecord fromOld = CoderUtils.decodeFromByteArray(coder, old.toByteArray());
    assertEquals("1/2/3/7", fromOld.key());
    assertTrue(fromOld.spider().isEmpty() && fromOld.storedAt().isEmpty());

    for (ScrapinghubRecord r : List.of(ScrapinghubRecord.ofUtf8("1/2/3", 7, json, "products", 1700000000123L),
        ScrapinghubRecord.ofUtf8("1/2/3", 7, json, "products", Long.MIN_VALUE),
        ScrapinghubRecord.ofUtf8("1/2/3", 7, json, null, 5L))) {
      ScrapinghubRecord back = CoderUtils.clone(coder, r);
      assertEquals(r, back);
      assertEquals(r.spider(), back.spider());
      assertEquals(r.storedAt(), back.storedAt());
      assertArrayEquals(json, back.jsonUtf8());
    }
    JobSlice ref = new JobSlice("1/2/3", 10, 100, 2, 8, "products");
    assertEquals(ref, CoderUtils.clone(JobSlice.JobSliceCoder.of(), ref));
    JobSlice unnamed = new JobSlice("1/2/3", 10, 100, 2, 8);
    assertEquals(unnamed, CoderUtils.clone(JobSlice.JobSliceCoder.of(), unnamed));
  }
}
