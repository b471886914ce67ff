package io.scrapinghubio.emulator.testcontainers;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@code ScrapinghubIO.read()} against the containerised emulator, on the Direct runner: the
 * pipeline's records are exactly the items the client reads, as a multiset.
 */
@ExtendWith(EmulatorImageUnderTest.class)
@Testcontainers
class ReadPipelineOverContainerTest {

  @Container
  static final ScrapyCloudEmulatorContainer EMULATOR = EmulatorImageUnderTest.container().withDemoData(4, 250);

  @Test
  void readsEveryItemOfEveryDemoJobExactlyOnce() {
    List<String> expected = new ArrayList<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(EMULATOR.clientConfig())) {
      for (JobSummary s : client.getProject(EMULATOR.getDemoProject()).jobs().list(JobQuery.all())) {
        Job job = client.getJob(s.key());
        for (JobRecord item : job.items().iter()) {
          expected.add(item.json());
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertEquals(4 * 250, expected.size());

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setTargetParallelism(2);
    Pipeline p = Pipeline.create(options);
    PCollection<String> items = p
        .apply(ScrapinghubIO.read().withConnection(EMULATOR.scrapinghubConnection())
            .withProject(EMULATOR.getDemoProject()).withChunkItems(100))
        .apply(MapElements.into(TypeDescriptors.strings()).via(ScrapinghubRecord::json));
    PAssert.that(items).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
