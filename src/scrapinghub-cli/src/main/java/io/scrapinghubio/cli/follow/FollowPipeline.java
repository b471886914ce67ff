package io.scrapinghubio.cli.follow;

import io.scrapinghubio.beam.read.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.RunFailure;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.PipelineCounters;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * A live read of a project ({@code ScrapinghubIO.read()...continuously(poll)}), its items windowed
 * by the time they were scraped ({@code _ts}) and written as one JSON-lines file per window and
 * shard, {@code items-<window start>-<window end>-pane-<n>[-last]-<shard>-of-<shards>.jl}.
 */
final class FollowPipeline {
  /** Prefix of the window files inside the output directory. */
  static final String PREFIX = "items-";

  /** Where TextIO stages each window's files before it renames them into the output directory. */
  private static final String TEMP = ".temp-beam";

  /**
   * How long after a late record (from a job found after its window was written) the further file
   * of that window is written: one file per batch of late records rather than one per record.
   */
  private static final Duration LATE_PANE_DELAY = Duration.standardSeconds(10);

  /** Late records are written, not dropped, for a day: a job may be found long after it was scraped. */
  private static final Duration ALLOWED_LATENESS = Duration.standardDays(1);

  private final ScrapinghubRead<ScrapinghubRecord> follow;
  private final Duration window;
  private final int shards;

  FollowPipeline(ScrapinghubRead<ScrapinghubRecord> follow, java.time.Duration window, int shards) {
    this.follow = follow;
    this.window = Duration.millis(window.toMillis());
    this.shards = shards;
  }

  /** Runs the follow until its termination (or Ctrl-C), writing into {@code output}. */
  FollowSummary run(PipelineOptions options, Path output, LiveCounts counts, ProgressDisplay progress, PrintWriter err) {
    Pipeline p = Pipeline.create(options);
    p.apply("Follow", follow)
        .apply("ToJsonLines", ParDo.of(new FollowLineFn(counts.id())))
        .apply("ByScrapeTime", Window.<String>into(FixedWindows.of(window))
            // A window's file is written once the watermark passes its end; records found later go
            // to a further file of that window instead of being dropped.
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(LATE_PANE_DELAY)))
            .withAllowedLateness(ALLOWED_LATENESS).discardingFiredPanes())
        .apply("WriteWindows", TextIO.write().to(output.resolve(PREFIX).toString()).withSuffix(".jl")
            .withTempDirectory(FileSystems.matchNewResource(output.resolve(TEMP).toString(), true))
            .withWindowedWrites().withNumShards(shards));

    Thread onCtrlC = new Thread(() -> {
      progress.close();
      err.println();
      err.println("Stopped: the windows written so far are in " + output + "; the open windows' items are not.");
      err.flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    long start = System.nanoTime();
    PipelineResult result;
    try {
      progress.start();
      result = p.run(); // on embedded Flink, returns once the job has ended
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new RunFailure("the pipeline ended in state " + state + " instead of DONE");
      }
    } finally {
      progress.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    removeTempDirectory(output);
    PipelineCounters c = PipelineCounters.of(result);
    long[] files = windowFiles(output);
    return new FollowSummary(c.get("follow_jobs_followed"), c.get("follow_jobs_finished"), c.get("follow_records"),
        files[0], files[1], (System.nanoTime() - start) / 1e9, output);
  }

  /**
   * Removes the directory where TextIO staged the window files ({@code .temp-beam}): once the
   * pipeline is done every window is finalised, and what is left there is no one's.
   */
  private static void removeTempDirectory(Path output) {
    Path temp = output.resolve(TEMP);
    if (!Files.isDirectory(temp)) {
      return;
    }
    try (Stream<Path> s = Files.walk(temp)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the staging directory " + temp, e);
    }
  }

  /** The window files in {@code dir} and their lines. */
  static long[] windowFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(f -> f.getFileName().toString().startsWith(PREFIX)
          && f.getFileName().toString().endsWith(".jl")).toList();
      long lines = 0;
      for (Path f : files) {
        try (Stream<String> l = Files.lines(f)) {
          lines += l.count();
        }
      }
      return new long[] {files.size(), lines};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
