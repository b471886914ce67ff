package io.scrapinghubio.beam.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.read.JobDataType;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A continuous read's bad settings fail when the pipeline is built, naming the value. */
class FollowValidationTest {

  private static void rejects(Class<? extends RuntimeException> type, Executable e, String... fragments) {
    RuntimeException ex = assertThrows(type, e);
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention " + f);
    }
  }

  private static ScrapinghubRead<ScrapinghubRecord> live() {
    return ScrapinghubIO.read().withProject(7).continuously(Duration.standardSeconds(10));
  }

  @Test
  void rejectsBadValuesAtConstruction() {
    rejects(IllegalArgumentException.class, () -> ScrapinghubIO.read().continuously(Duration.ZERO), "poll interval", "PT0S");
    rejects(IllegalArgumentException.class, () -> ScrapinghubIO.read().continuously(Duration.millis(-5)), "-0.005");
    rejects(IllegalArgumentException.class, () -> ScrapinghubIO.read().continuously(null), "null");
    rejects(IllegalArgumentException.class, () -> live().withTerminationAfterIdlePolls(0), "at least 1", "0");
    rejects(IllegalArgumentException.class, () -> live().withTerminationAfter(Duration.ZERO), "positive");
    rejects(IllegalArgumentException.class, () -> live().markConsumed(" "), "tag");
    rejects(IllegalStateException.class, () -> ScrapinghubIO.read().withRunningJobs(), "withRunningJobs()", "continuously(pollInterval)");
    rejects(IllegalStateException.class, () -> ScrapinghubIO.read().markConsumed("consumed"), "markConsumed()", "continuously");
    rejects(IllegalStateException.class, () -> ScrapinghubIO.read().withTerminationAfterIdlePolls(3), "continuously");
  }

  @Test
  void rejectsWhatAContinuousReadCannotDoWhenApplied() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    rejects(IllegalArgumentException.class, () -> p.apply(ScrapinghubIO.read().withJobs("7/1/2").continuously(Duration.standardSeconds(1))),
        "withJobs(7/1/2)", "continuously()");
    rejects(IllegalArgumentException.class, () -> p.apply(live().withStates("running")), "withStates(running)", "withRunningJobs()");
    rejects(IllegalArgumentException.class, () -> p.apply(live().withMaxJobs(5)), "withMaxJobs(5)");
    rejects(IllegalArgumentException.class, () -> p.apply(live().withDataType(JobDataType.SAMPLES)), "samples");
  }

  @Test
  void isUnboundedKeepsItsOutputTypeAndShowsItsSettings() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    ScrapinghubRead<ScrapinghubRecord> read = live().withRunningJobs().withTerminationAfterIdlePolls(4).markConsumed("done");
    PCollection<ScrapinghubRecord> out = p.apply(read);
    assertEquals(PCollection.IsBounded.UNBOUNDED, out.isBounded());
    PCollection<org.apache.beam.sdk.values.Row> rows = p.apply("Rows", read.asRows(
        org.apache.beam.sdk.schemas.Schema.builder().addNullableField("name", org.apache.beam.sdk.schemas.Schema.FieldType.STRING).build()));
    assertEquals(PCollection.IsBounded.UNBOUNDED, rows.isBounded());
    Map<String, String> items = DisplayData.from(read).items().stream()
        .collect(Collectors.toMap(DisplayData.Item::getKey, i -> String.valueOf(i.getValue())));
    assertEquals("true", items.get("runningJobs"));
    assertEquals("4", items.get("idlePolls"));
    assertEquals("done", items.get("consumedTag"));
  }
}
