package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.export.SmallSelectionProbe.Size;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which exports skip the Flink cluster: only selections known to be small, on embedded Flink as the command sets it up. */
class SmallExportTest {
  private static final long GIB = 1L << 30;

  @Test
  void onlyAFewJobsOfKnownSizeThatFitsTheHeapEasily() {
    assertTrue(SmallExport.fits(new Size(1, 10_000, 14_400_000), GIB), "one job of 10,000 items");
    assertTrue(SmallExport.fits(new Size(0, 0, 0), GIB), "nothing to read");
    long maxBytes = SmallExport.MAX_MB << 20;
    assertTrue(SmallExport.fits(new Size(SmallExport.MAX_JOBS, SmallExport.MAX_ITEMS, maxBytes), GIB));
    assertFalse(SmallExport.fits(new Size(1, 10_000, -1), GIB), "bytes unknown");
    assertFalse(SmallExport.fits(new Size(SmallExport.MAX_JOBS + 1, 900, 900_000), GIB), "too many jobs to size");
    assertFalse(SmallExport.fits(new Size(1, SmallExport.MAX_ITEMS + 1, 1_000_000), GIB), "too many items");
    assertFalse(SmallExport.fits(new Size(1, 1_000, maxBytes + 1), GIB), "too many bytes");
    long smallHeap = 256L << 20;
    assertFalse(SmallExport.fits(new Size(1, 10_000, smallHeap / SmallExport.HEAP_SHARE + 1), smallHeap),
        "too big for the heap");
  }

  @Test
  void switchesTheOptionsToTheCollectionExecutorOnlyWhenSizedSmall() {
    assertEquals(SmallExport.COLLECTION_EXECUTOR, masterAfter(CompletableFuture.completedFuture(new Size(1, 10, 10_000))));
    String defaultMaster = masterAfter(CompletableFuture.failedFuture(new IllegalStateException("listing failed")));
    assertFalse(defaultMaster.equals(SmallExport.COLLECTION_EXECUTOR), "unsized: the cluster, " + defaultMaster);
    assertEquals(defaultMaster, masterAfter(CompletableFuture.completedFuture(new Size(100, 1_000_000, -1))));
  }

  @Test
  void onlyWhenTheUserChoseNothingAboutTheRun() {
    RunnerOptions options = new RunnerOptions();
    CommandLine cl = new CommandLine(options);
    cl.parseArgs();
    assertTrue(options.embeddedFlinkByDefault());
    for (String[] args : new String[][] {{"--parallelism=1"}, {"--runner=direct"}, {"--flink-master=jm:8081"},
        {"--", "--maxBundleSize=5000"}}) {
      options = new RunnerOptions();
      cl = new CommandLine(options);
      cl.parseArgs(args);
      assertFalse(options.embeddedFlinkByDefault(), String.join(" ", args));
    }
  }

  private static String masterAfter(CompletableFuture<Size> sizing) {
    RunnerOptions runner = new RunnerOptions();
    CommandLine cl = new CommandLine(runner);
    cl.parseArgs();
    PipelineOptions options = runner.pipelineOptions(cl.getCommandSpec());
    SmallExport.chooseFor(options, sizing);
    return options.as(FlinkPipelineOptions.class).getFlinkMaster();
  }
}
