package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same read on embedded Flink (batch): parallelism there comes only from the initial splits,
 * and every record still arrives exactly once, faults included.
 */
@Tag("flink")
class ScrapinghubIOReadFlinkTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static Pipeline flink() {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setFlinkConfDir(LoopbackFlinkConfig.directory()); // its REST endpoint on 127.0.0.1 only
    o.setParallelism(2);
    return Pipeline.create(o);
  }

  @Test
  void readsEveryItemExactlyOnceOnFlink() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long project = 901;
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobs.add(ReadFixture.job(emu, project, "spider" + (i % 2), "finished", List.of(), 4000 + 333 * i));
    }
    emu.faults().rule().path("^/items/" + project + "/").status(503).retryAfter(0).rate(0.05);
    emu.faults().rule().path("^/items/" + project + "/").resetConnection().rate(0.02);

    Pipeline p = flink();
    p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project)
            .withChunkItems(1500).withPageSize(400))
        .apply(Collected.into("flink-read"));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    Collected.assertExactlyOnce("flink-read", ReadFixture.expected(emu, RecordType.ITEMS, jobs.toArray(new String[0])));
  }

  /** Inferred rows with a failure output on Flink: every record in exactly one of the two outputs. */
  @Test
  void inferredRowsAndFailuresOnFlink() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long project = 905;
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(ReadFixture.job(emu, project, "shop", "finished", List.of(), 3000));
    }
    // one bad record per job, past the sampled first page: a string where the sample had numbers
    for (String job : jobs) {
      emu.state().appendItems(job, List.of("{\"id\":\"not a number\",\"price\":1.5}"));
    }
    Pipeline p = flink();
    try (org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> handler =
        p.registerBadRecordErrorHandler(org.apache.beam.sdk.transforms.PTransform.compose(
            (org.apache.beam.sdk.values.PCollection<org.apache.beam.sdk.transforms.errorhandling.BadRecord> in) -> in.apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via((org.apache.beam.sdk.transforms.errorhandling.BadRecord f) -> io.scrapinghubio.beam.failure.ScrapinghubFailure.of(f)
                .map(x -> x.subject() + " " + x.reason()).orElseThrow()))
            .apply(Collected.into("flink-failures"))))) {
      p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu))
          .withProject(project).asRows().withSchemaSampleRecords(100).withChunkItems(700).withBadRecordErrorHandler(handler))
          .apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
              .via((org.apache.beam.sdk.values.Row row) -> row.getString("_key"))).apply(Collected.into("flink-rows"));
    }
    p.run().waitUntilFinish();
    List<String> keys = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String job : jobs) {
      for (int i = 0; i < 3000; i++) {
        keys.add(job + "/" + i);
      }
      failures.add(job + "/3000 field 'id': expected INT64, found string \"not a number\"");
    }
    Collected.assertExactlyOnce("flink-rows", keys);
    Collected.assertExactlyOnce("flink-failures", failures);
  }

  /** Parallelism on Flink batch comes from the initial chunks: one big job is read by every subtask. */
  @Test
  void chunksOfOneJobAreReadByEverySubtask() {
    ScrapyCloudEmulator emu = EMU.emulator();
    String job = ReadFixture.job(emu, 903, "big", "finished", List.of(), 20_000);
    Pipeline p = flink();
    p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withJobs(job).withChunkItems(1000))
        .apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via((ScrapinghubRecord r) -> subtask(Thread.currentThread().getName())))
        .apply(Collected.into("flink-subtasks"));
    p.run().waitUntilFinish();
    // 20 chunks spread at random over 2 subtasks: all on one would happen once in 500,000 runs.
    assertEquals(java.util.Set.of("1/2", "2/2"), Collected.counts("flink-subtasks").keySet(),
        "subtasks that read records: " + Collected.counts("flink-subtasks"));
  }

  /** Flink names task threads "... (i/n)#attempt". */
  private static String subtask(String thread) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+/\\d+)\\)").matcher(thread);
    String last = "?";
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  @Test
  void readAllOnFlink() {
    ScrapyCloudEmulator emu = EMU.emulator();
    String a = ReadFixture.job(emu, 902, "s", "finished", List.of(), 2100);
    String b = ReadFixture.job(emu, 902, "s", "finished", List.of(), 10);
    Pipeline p = flink();
    p.apply(Create.of(a, b)).apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).withChunkItems(700))
        .apply(Collected.into("flink-read-all"));
    p.run().waitUntilFinish();
    Collected.assertExactlyOnce("flink-read-all", ReadFixture.expected(emu, RecordType.ITEMS, a, b));
    assertEquals(2110, Collected.counts("flink-read-all").size());
  }
}
