package io.scrapinghubio.client.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.JobData;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.log.LoggedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streamed reader's promises, against the emulator: a body cut anywhere is resumed at the
 * first record missing (nothing lost, nothing repeated), a consumer that pauses for longer than
 * a server keeps a connection resumes exactly, every record arrives exactly once under the
 * emulator's mixed faults, and a reader over a slow consumer holds no more than its stated bytes.
 */
class StreamedReadEmulatorTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final int ITEMS = 20_000;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY)
      .demoData(DemoData.of(1, ITEMS));

  private static final RetryPolicy FAST = RetryPolicy.of(8, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofSeconds(60));

  private ScrapyCloudEmulator emu;
  private ScrapinghubClient client;
  private JobData items;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    emu.resetFaults();
    client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(FAST).readTimeout(Duration.ofSeconds(30)).build());
    items = client.getJob(JobKey.parse(DemoData.DEFAULT_PROJECT + "/1/1")).items();
  }

  @AfterEach
  void tearDown() {
    emu.resetFaults();
    client.close();
  }

  private static List<byte[]> drain(PagedReader reader, long from) {
    List<byte[]> out = new ArrayList<>();
    long expected = from;
    while (reader.hasNext()) {
      JobRecord r = reader.next();
      assertEquals(expected++, r.index(), "in order, none skipped or repeated");
      out.add(r.jsonBytes());
    }
    return out;
  }

  private List<byte[]> read(ReadSpec spec) {
    try (PagedReader reader = items.reader(spec)) {
      return drain(reader, spec.from());
    }
  }

  private static void assertSameRecords(List<byte[]> expected, List<byte[]> got) {
    assertEquals(expected.size(), got.size(), "record count");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), got.get(i), "record " + i);
    }
  }

  private List<LoggedRequest> itemGets() {
    return emu.requestLog().matching("GET", "^/items/" + DemoData.DEFAULT_PROJECT + "/1/1$");
  }

  @Test
  void oneRequestCutManyTimesResumesAtTheFirstMissingRecord() {
    List<byte[]> clean = read(items.spec().withOneRequest());
    assertEquals(ITEMS, clean.size());
    assertEquals(1, itemGets().size(), "one streamed request for the whole job, as the one-stream tools");

    emu.requestLog().clear();
    emu.faults().rule().method("GET").path("^/items/").resetConnection().skip(1).times(1); // the first resume
    emu.faults().rule().method("GET").path("^/items/").truncateAfter(300_000).times(4);
    List<byte[]> cut = read(items.spec().withOneRequest());
    assertSameRecords(clean, cut);
    assertEquals(4, emu.faults().injectedCount(FaultKind.TRUNCATE));
    assertEquals(1, emu.faults().injectedCount(FaultKind.RESET));
    List<LoggedRequest> gets = itemGets();
    assertTrue(gets.size() >= 5, "the first request and 4 resumes after cuts: " + gets.size());
    long previous = -1;
    for (LoggedRequest g : gets) {
      long start = Long.parseLong(g.param("start").substring(g.param("start").lastIndexOf('/') + 1));
      assertTrue(start >= previous, "each resume starts at or after the one before: " + start + " after " + previous);
      previous = start;
    }
    assertTrue(previous > 0, "resumed mid-job, not from the start");
  }

  /**
   * A read to the job's end (iter()) asks the first page, the rest of the job and the record count
   * at once; once the count is known the rest is spread over the window, and the last request
   * still asks for everything after the counted records.
   */
  @Test
  void aReadToTheEndSpreadsTheRestOfTheJobOverTheWindow() {
    List<byte[]> whole = read(items.spec().withOneRequest());
    emu.requestLog().clear();
    List<byte[]> got = read(items.spec());
    assertSameRecords(whole, got);
    List<LoggedRequest> gets = itemGets();
    assertEquals(1, emu.requestLog().matching("GET", "^/items/.*/stats$").size(), "the record count, once");
    assertTrue(gets.size() >= 4, "first page, rest of the job, and the spread tail: " + gets.size());
    assertTrue(gets.stream().anyMatch(g -> g.param("count") == null && !g.param("start").endsWith("/2500")),
        "the last request of the tail asks for everything from there on");
  }

  @Test
  void everyRecordOnceUnderMixedFaults() {
    List<byte[]> clean = read(items.spec());
    emu.faults().mixed(0.1);
    for (ReadSpec spec : List.of(items.spec(), items.spec().withCount(ITEMS).withPageSize(700).withPrefetchPages(5),
        items.spec().withOneRequest(), items.spec().withOffset(1234).withCount(15_000).withPageSize(999))) {
      List<byte[]> got = read(spec);
      assertSameRecords(clean.subList((int) spec.from(), (int) Math.min(ITEMS, spec.to())), got);
    }
    assertTrue(emu.faults().injectedCount() > 0, "faults injected: " + emu.faults().injected());
  }

  /**
   * A consumer away for 70 s: longer than the reader keeps a stalled stream (10 s) and than common
   * front ends keep an idle connection (60 s). The stream is closed and the rest requested again
   * from the first record not yet received.
   */
  @Test
  void aConsumerPausing70SecondsResumesExactly() throws InterruptedException {
    List<byte[]> clean = read(items.spec().withOneRequest());
    emu.requestLog().clear();
    List<byte[]> got = new ArrayList<>();
    try (PagedReader reader = items.reader(items.spec().withOneRequest().withBufferBytes(256 * 1024))) {
      for (int i = 0; i < 1000 && reader.hasNext(); i++) {
        got.add(reader.next().jsonBytes());
      }
      TimeUnit.SECONDS.sleep(70);
      got.addAll(drain(reader, 1000));
    }
    assertSameRecords(clean, got);
    List<LoggedRequest> gets = itemGets();
    assertTrue(gets.size() >= 2, "the stalled stream was closed and resumed: " + gets.size() + " requests");
    String resumedAt = gets.get(gets.size() - 1).param("start");
    long at = Long.parseLong(resumedAt.substring(resumedAt.lastIndexOf('/') + 1));
    assertTrue(at > 1000 && at < ITEMS, "resumed after what was already received: " + resumedAt);
  }

  /** A reader whose consumer does not keep up holds at most its stated bytes (plus one receive buffer a page). */
  @Test
  void aSlowConsumerBoundsTheBytesHeld() throws InterruptedException {
    long bound = 512 * 1024;
    ReadSpec spec = items.spec().withCount(ITEMS).withPageSize(2500).withPrefetchPages(3).withBufferBytes(bound);
    long allowed = bound + 4 * StreamedPage.RECEIVE_BUFFER;
    long peak = 0;
    List<byte[]> got = new ArrayList<>();
    try (PagedReader reader = items.reader(spec)) {
      while (reader.hasNext()) {
        got.add(reader.next().jsonBytes());
        if (got.size() % 500 == 0) {
          TimeUnit.MILLISECONDS.sleep(20); // let the streams run ahead to their bound
          peak = Math.max(peak, reader.bufferedBytes());
        }
      }
    }
    assertEquals(ITEMS, got.size());
    long total = got.stream().mapToLong(b -> b.length).sum();
    assertTrue(total > 8 * allowed, "the job is much bigger than the bound: " + total);
    assertTrue(peak > 0 && peak <= allowed, "held at most " + allowed + " bytes, peak " + peak);
  }
}
