package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unbounded input ({@code TestStream}): batches are flushed by time, under any windowing. */
class WriteStreamingTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static long nextProject = 500;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    emu.state().project(project); // requests never create a project
  }

  private static List<TimestampedValue<String>> at(int from, int to, long millis) {
    List<TimestampedValue<String>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(TimestampedValue.of(WriteFixture.record(i), new Instant(millis)));
    }
    return out;
  }

  private int posts(String pathRegex, int atLeast) {
    return emu.requestLog().awaitMatching("POST", pathRegex, atLeast).size();
  }

  @Test
  void partialBatchesAreFlushedWhenTheBufferingTimePasses() throws Exception {
    TestStream<String> stream = TestStream.create(StringUtf8Coder.of())
        .addElements(at(0, 10, 0).get(0), at(1, 10, 0).toArray(new TimestampedValue[0]))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(5))
        .addElements(at(10, 20, 0).get(0), at(11, 20, 0).toArray(new TimestampedValue[0]))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(5))
        .addElements(TimestampedValue.of("{\"no\":\"key\"}", new Instant(0)), at(20, 30, 0).toArray(new TimestampedValue[0]))
        .advanceProcessingTime(org.joda.time.Duration.standardSeconds(5))
        .advanceWatermarkToInfinity();
    Pipeline p = WriteFixture.direct();
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p, "streamed")) {
      p.apply(stream).apply(ScrapinghubIO.writeToCollection().withConnection(WriteFixture.connection(emu))
          .withProject(project).to(StoreType.STORE, "streamed")
          .withMaxBufferingDuration(Duration.ofSeconds(1)).withShards(1) // batches of 1000 would never fill
          .withBadRecordErrorHandler(h));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish();

    Map<String, String> got = WriteFixture.readCollection(emu, project, StoreType.STORE, "streamed");
    assertEquals(30, got.size());
    assertEquals(3, posts("^/collections/" + project + "/s/streamed$", 3), "one upload per buffering period");
    assertEquals(1, WriteFixture.collected("streamed").size());
    assertEquals(ScrapinghubFailure.Kind.MISSING_KEY, WriteFixture.collected("streamed").get(0).kind());
  }

  @Test
  void windowedStreamsAreWrittenPerWindowAndBigBatchesAreCutBySize() throws Exception {
    TestStream.Builder<String> b = TestStream.create(StringUtf8Coder.of());
    for (int w = 0; w < 4; w++) {
      List<TimestampedValue<String>> vs = at(w * 600, (w + 1) * 600, w * 60_000L + 1000);
      b = b.addElements(vs.get(0), vs.subList(1, vs.size()).toArray(new TimestampedValue[0]))
          .advanceWatermarkTo(new Instant((w + 1) * 60_000L));
    }
    Pipeline p = WriteFixture.direct();
    p.apply(b.advanceWatermarkToInfinity())
        .apply(Window.into(FixedWindows.of(org.joda.time.Duration.standardMinutes(1))))
        .apply(ScrapinghubIO.writeToCollection().withConnection(WriteFixture.connection(emu)).withProject(project)
            .to(StoreType.CACHED_STORE, "windowed").withMaxBatchRecords(250).withShards(2));
    PipelineResult r = p.run();
    r.waitUntilFinish();

    Map<String, String> got = WriteFixture.readCollection(emu, project, StoreType.CACHED_STORE, "windowed");
    assertEquals(2400, got.size());
    assertEquals(2400, WriteFixture.counter(r, "write_records"));
    posts("^/collections/" + project + "/cs/windowed$", 10);
    emu.requestLog().matching("POST", "^/collections/" + project + "/cs/windowed$")
        .forEach(req -> assertTrue(req.bodyText().split("\n").length <= 250, "batch size"));
  }
}
