package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.junit.jupiter.api.Test;

/** Kebab-case flags, as the command line takes them, for the examples' options and Beam's alike. */
class ExampleArgsTest {

  @Test
  void kebabCaseIsReadAsBeamsCamelCaseAndCamelCaseStaysAsItIs() {
    assertEquals(List.of("--idlePolls=3", "--flinkMaster=[local]", "--streaming", "--output=a-b-c", "positional", "--pollSeconds=2"),
        List.of(ExampleArgs.forBeam(ExampleArgs.parse(new String[] {"--idle-polls=3", "--flink-master=[local]", "--streaming",
            "--output=a-b-c", "positional", "--pollSeconds=2"}))));
    assertEquals("demo-items-per-job", ExampleArgs.kebab("demoItemsPerJob"));
    assertEquals("demoItemsPerJob", ExampleArgs.camel("demo-items-per-job"));
  }

  @Test
  void everyExampleTakesItsOptionsInKebabCase() {
    FollowProject.Options follow = ExampleArgs.options(new String[] {"--runner=DirectRunner", "--idle-polls=3",
        "--poll-seconds=2", "--items-per-crawl=7", "--schedule-every-seconds=0", "--consumed-tag=done", "--progress-seconds=9"},
        FollowProject.Options.class);
    assertEquals(List.of(3, 2, 7, 0, 9), List.of(follow.getIdlePolls(), follow.getPollSeconds(), follow.getItemsPerCrawl(),
        follow.getScheduleEverySeconds(), follow.getProgressSeconds()));
    assertEquals("done", follow.getConsumedTag());
    ScheduledCrawl.Options crawl = ExampleArgs.options(new String[] {"--runner=DirectRunner", "--poll-seconds=3",
        "--timeout-minutes=4"}, ScheduledCrawl.Options.class);
    assertEquals(List.of(3, 4), List.of(crawl.getPollSeconds(), crawl.getTimeoutMinutes()));
    ItemsToPostgres.Options etl = ExampleArgs.options(new String[] {"--runner=DirectRunner", "--consumed-tag=loaded",
        "--batch-size=10", "--progress-seconds=2"}, ItemsToPostgres.Options.class);
    assertEquals(List.of("loaded", 10, 2), List.of(etl.getConsumedTag(), etl.getBatchSize(), etl.getProgressSeconds()));
    // Beam's own options too, as the command line's --flink-master and --parallelism
    FlinkPipelineOptions flink = ExampleArgs.options(new String[] {"--runner=FlinkRunner", "--flink-master=jm:8081",
        "--parallelism=3", "--checkpointing-interval=500"}, BulkExport.Options.class).as(FlinkPipelineOptions.class);
    assertEquals(List.of("jm:8081", 3, 500L), List.of(flink.getFlinkMaster(), flink.getParallelism(), flink.getCheckpointingInterval()));
  }

  @Test
  void aBadFlagIsNamedAsTypedWithItsValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleArgs.options(
        new String[] {"--runner=DirectRunner", "--poll-seconds=often"}, FollowProject.Options.class));
    assertTrue(e.getMessage().startsWith("bad option --poll-seconds=often: "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExampleArgs.options(
        new String[] {"--runner=DirectRunner", "--idle-poll=3"}, FollowProject.Options.class));
    assertTrue(e.getMessage().startsWith("bad option --idle-poll=3: "), e.getMessage());
    assertTrue(e.getMessage().contains("--idle-polls"), "suggests the flag meant, in kebab-case: " + e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExampleArgs.options(
        new String[] {"--runner=DirectRunner", "--markConsumed=x"}, FollowProject.Options.class));
    assertTrue(e.getMessage().startsWith("bad option --mark-consumed=x: "), e.getMessage());
  }

  @Test
  void aMistypedKeyOptionIsNamedWithoutItsValue() {
    String secret = "k3yk3yk3yk3yk3yk3yk3yk3yk3yk3yk3";
    for (String typed : List.of("--api_key=" + secret, "--shub-apikey=" + secret, "--apikey-value=" + secret)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExampleArgs.options(
          new String[] {"--runner=DirectRunner", typed}, BulkExport.Options.class));
      assertTrue(!e.getMessage().contains(secret) && !String.valueOf(e.getCause()).contains(secret), e.getMessage());
      assertTrue(e.getMessage().startsWith("bad option " + typed.substring(0, typed.indexOf('=')) + "=... (value not shown): "),
          e.getMessage());
    }
  }
}
