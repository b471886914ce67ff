package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.export.SmallSelectionProbe.Size;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * An export small enough to run on Flink's collection executor: the same Flink program, at
 * parallelism 1, in the calling thread, with no cluster. Starting and stopping a Flink mini cluster
 * (two RPC actor systems, a REST endpoint, a task manager, scheduling and deploying every task)
 * costs several CPU-seconds, more than reading a few jobs does, and an export of one job of
 * 10,000 items was mostly that.
 *
 * <p>That executor runs one step at a time over all of its input and keeps every step's output in
 * memory until the job ends: the files are only written once everything is read (so progress jumps
 * from 0 to the total), and memory holds the whole selection. So only a selection known to be small
 * goes there, one that reads in a few seconds: at most {@value #MAX_JOBS} jobs, whose stats (as the
 * read's own sizing gets them) add up to at most {@value #MAX_ITEMS} items and {@value #MAX_MB} MB,
 * and at most one {@value #HEAP_SHARE}th of the heap. Anything else, or a selection not probed in
 * time, runs on the mini cluster as before. This is decided before the runner starts, so it cannot
 * wait for the pipeline's own sizing: a {@link SmallSelectionProbe} of bounded cost finds it out.
 *
 * <p>Only for runner-chosen sharding ({@code --shards=0}): a fixed number of shards groups the
 * records by shard (a GroupByKey), and that executor hands each group's values on as a lazy view of
 * its own iteration, which the next step (with the runner's {@code --fasterCopy}, not copied) reads
 * only once the executor has moved past the group. The default sharding groups no records: every
 * other step is a ParDo or a Reshuffle, whose elements are passed on as they are.
 */
final class SmallExport {
  static final int MAX_JOBS = 8;
  static final long MAX_ITEMS = 50_000;
  static final long MAX_MB = 64;
  static final int HEAP_SHARE = 8;
  /** How long the command waits for the probe once its pipeline is built; the cluster costs more. */
  static final Duration WAIT = Duration.ofSeconds(2);
  /** Beam's FlinkRunner name for Flink's collection executor. */
  static final String COLLECTION_EXECUTOR = "[collection]";

  private SmallExport() {}

  /** Whether a selection of {@code size} fits the collection executor within a heap of {@code maxHeapBytes}. */
  static boolean fits(Size size, long maxHeapBytes) {
    return size.jobs() <= MAX_JOBS && size.items() >= 0 && size.items() <= MAX_ITEMS && size.bytes() >= 0
        && size.bytes() <= Math.min(MAX_MB << 20, maxHeapBytes / HEAP_SHARE);
  }

  /**
   * Points {@code options} (embedded Flink with the command's defaults) at the collection executor
   * if the probe, waited for at most {@link #WAIT}, finds the selection small; returns whether it did.
   */
  static boolean chooseFor(PipelineOptions options, CompletableFuture<Size> probe) {
    Size size;
    try {
      size = probe.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (!fits(size, Runtime.getRuntime().maxMemory())) {
      return false;
    }
    options.as(FlinkPipelineOptions.class).setFlinkMaster(COLLECTION_EXECUTOR);
    options.as(FlinkPipelineOptions.class).setParallelism(1); // one thread: the network default is for the cluster
    return true;
  }
}
