package io.scrapinghubio.samples.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on Beam's Direct runner against the emulator (from the
 * {@code scrapy-cloud-emulator} artifact, test scope), seeded with demo jobs: the file it writes
 * must hold exactly the number of items the emulator stores for each finished job.
 */
class ItemsPerJobTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long PROJECT = DemoData.DEFAULT_PROJECT;

  /** Three finished jobs of 40 items each; more are added by the test. */
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMULATOR = ScrapyCloudEmulatorExtension.withApiKey(KEY)
      .demoData(DemoData.of(3, 40));

  @Test
  void writesTheItemCountOfEveryFinishedJob(ScrapyCloudEmulator emulator, @TempDir Path dir) throws Exception {
    // A job of another size, so that the counts differ from job to job...
    String small = emulator.state().addJob(PROJECT, "products", "finished", Map.of()).key();
    emulator.state().appendItems(small, List.of("{\"name\":\"a\"}", "{\"name\":\"b\"}", "{\"name\":\"c\"}"));
    // ...and a running one, which read() leaves out unless asked for running jobs.
    String running = emulator.state().addJob(PROJECT, "products", "running", Map.of()).key();
    emulator.state().appendItems(running, List.of("{\"name\":\"still crawling\"}"));

    Map<String, Long> expected = new HashMap<>();
    for (JobState job : emulator.state().project(PROJECT).jobs()) {
      if ("finished".equals(job.state())) {
        expected.put(job.key(), (long) emulator.state().records(job.key(), RecordType.ITEMS).view().size());
      }
    }
    assertEquals(4, expected.size(), "three demo jobs and the small one: " + expected);
    assertEquals(3L, expected.get(small));

    Path output = dir.resolve("items-per-job");
    ItemsPerJob.Options options = PipelineOptionsFactory
        .fromArgs("--runner=DirectRunner", "--project=" + PROJECT, "--output=" + output)
        .withValidation()
        .as(ItemsPerJob.Options.class);
    // The key itself goes into the job graph here: acceptable for a test key and a local emulator.
    ScrapinghubConnection emulatorConnection = ScrapinghubIO.connection()
        .withApiKey(KEY)
        .withStorageEndpoint(emulator.storageUrl())
        .withDashEndpoint(emulator.dashUrl());

    PipelineResult.State state = ItemsPerJob.build(options, emulatorConnection).run().waitUntilFinish();

    assertEquals(PipelineResult.State.DONE, state);
    Map<String, Long> written = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(output + ".tsv"), StandardCharsets.UTF_8)) {
      String[] jobAndCount = line.split("\t");
      assertEquals(2, jobAndCount.length, line);
      assertEquals(null, written.put(jobAndCount[0], Long.parseLong(jobAndCount[1])), "one line per job: " + line);
    }
    assertEquals(expected, written);
    assertFalse(written.containsKey(running));
  }
}
