package io.scrapinghubio.cli.follow;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.jobs.UpdateJobTags;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.options.ProvenanceOption;
import io.scrapinghubio.cli.run.AddProvenanceFn;
import io.scrapinghubio.cli.run.PipelineCounters;
import io.scrapinghubio.cli.run.RunningPipeline;
import io.scrapinghubio.cli.run.StagingDirs;
import io.scrapinghubio.cli.run.StopSignals;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.joda.time.Duration;

/**
 * A live read of a project ({@code ScrapinghubIO.read()...continuously(poll)}), its items windowed
 * by the time they were scraped ({@code _ts}), gathered into panes by {@link WindowFilesFn} and
 * written by {@link WriteWindowFileFn} as one JSON-lines file per window, shard and pane,
 * {@code items-<window start>-<window end>-pane-<n>-<shard>-of-<shards>.jl}; with
 * {@code --consumed-tag}, each job is tagged once all its items are in those files ({@link ConsumedJobsFn}).
 *
 * <p>In this JVM (embedded Flink, Direct runner) the pipeline runs detached and this class ends it:
 * once {@link EndOfFollowFn} says the last window is written (the read's termination), or when the
 * command asks it to stop ({@link FollowControl#requestStop}: Ctrl-C, SIGTERM, the demo), after the
 * writers have written every item read so far. On a remote cluster it runs as Beam runs it.
 */
final class FollowPipeline {
  /** Prefix of the window files inside the output directory. */
  static final String PREFIX = "items-";

  /** Where the writers write each file before renaming it into the output directory. */
  private static final String TEMP = ".temp-beam";

  /**
   * How long after a late record (from a job found after its window was written) the further file
   * of that window is written: one file per batch of late records rather than one per record.
   */
  private static final Duration LATE_PANE_DELAY = Duration.standardSeconds(10);

  /** Late records are written, not dropped, for a day: a job may be found long after it was scraped. */
  private static final Duration ALLOWED_LATENESS = Duration.standardDays(1);

  /** How often the command looks at the running pipeline. */
  private static final java.time.Duration LOOK = java.time.Duration.ofMillis(200);

  /** The bound on writing what was read when stopping, and on the job's cancellation. */
  private static final java.time.Duration DRAIN_BOUND = java.time.Duration.ofSeconds(30);

  private final ScrapinghubRead<ScrapinghubRecord> follow;
  private final Duration window;
  private final int shards;
  /** {@code --consumed-tag}, or null; the read itself must not tag (it would tag on emitting). */
  private final String consumedTag;
  private final ScrapinghubConnection connection;
  /**
   * The {@code --with} fields added to each record before its line is made, which puts {@code _key}
   * and {@code _ts} first whatever was asked: so only {@code job} and {@code spider} are added here.
   */
  private java.util.Set<ProvenanceOption.Field> provenance = java.util.Set.of();

  FollowPipeline(ScrapinghubRead<ScrapinghubRecord> follow, java.time.Duration window, int shards, String consumedTag,
      ScrapinghubConnection connection) {
    this.follow = follow;
    this.window = Duration.millis(window.toMillis());
    this.shards = shards;
    this.consumedTag = consumedTag;
    this.connection = connection;
  }

  /** Each line also carries these {@code --with} fields ({@code key} and {@code ts} it always has). */
  FollowPipeline adding(java.util.Set<ProvenanceOption.Field> fields) {
    java.util.Set<ProvenanceOption.Field> added = java.util.EnumSet.noneOf(ProvenanceOption.Field.class);
    added.addAll(fields);
    added.remove(ProvenanceOption.Field.key);
    added.remove(ProvenanceOption.Field.ts);
    this.provenance = added;
    return this;
  }

  /** The pipeline: read, lines, windows, their files, the consumed jobs' tags, and the probe of its end. */
  Pipeline build(PipelineOptions options, Path output, String runId) {
    Pipeline p = Pipeline.create(options);
    ReadResult<ScrapinghubRecord> read = p.apply("Follow", follow.withResult());
    PCollection<ScrapinghubRecord> records = provenance.isEmpty() ? read.records()
        : read.records().apply("AddProvenance", ParDo.of(new AddProvenanceFn(provenance)));
    PCollection<KV<String, KV<String, Long>>> written = records
        .apply("ToJsonLines", ParDo.of(new FollowLineFn(shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply("ByScrapeTime", Window.<KV<Integer, String>>into(FixedWindows.of(window))
            // Only what the writers see: late records are kept for a day rather than dropped.
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(LATE_PANE_DELAY)))
            .withAllowedLateness(ALLOWED_LATENESS).discardingFiredPanes())
        .apply("WindowPanes", ParDo.of(new WindowFilesFn(shards, LATE_PANE_DELAY, ALLOWED_LATENESS, runId)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(StringUtf8Coder.of())))
        .apply("WriteWindows", ParDo.of(new WriteWindowFileFn(output, output.resolve(TEMP).toString(), runId)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply("AfterWrites", Window.<KV<String, KV<String, Long>>>into(new GlobalWindows())
            .triggering(DefaultTrigger.of()).withAllowedLateness(Duration.ZERO).discardingFiredPanes());
    // One element that is always there, so that the probe has a timer even when nothing was read.
    PCollectionList<String> ends = PCollectionList.of(p.apply("Start", Create.of("start")))
        .and(written.apply("WrittenJobs", Keys.create()));
    if (consumedTag != null) {
      // A job is tagged once every item of it is in a window file, not when the read has emitted them.
      // Like the read, which has no error handler here, the tagging fails the follow at a job it
      // cannot tag (after the client's retries), naming the job: left untagged, the next follow
      // would read it again into new files, and the user must know why.
      PCollection<KV<String, KV<String, Long>>> sizes = read.jobsReadToTheirEnd()
          .apply("JobSizes", ParDo.of(new SizeFn()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
      PCollection<String> tagged = PCollectionList.of(written).and(sizes)
          .apply("WrittenAndSizes", Flatten.pCollections())
          .apply("ConsumedJobs", ParDo.of(new ConsumedJobsFn()))
          .setCoder(StringUtf8Coder.of())
          .apply("TagConsumed", UpdateJobTags.create().withConnection(connection).withAdd(consumedTag))
          .output();
      ends = ends.and(tagged);
    }
    ends.apply("StartAndWrites", Flatten.pCollections())
        .apply("OneKey", WithKeys.of(""))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("EndOfFollow", ParDo.of(new EndOfFollowFn(runId)));
    return p;
  }

  /** A job read to its end, as {@link ConsumedJobsFn} takes its size. */
  private static final class SizeFn extends DoFn<KV<String, Long>, KV<String, KV<String, Long>>> {
    @ProcessElement
    public void process(@Element KV<String, Long> job, OutputReceiver<KV<String, KV<String, Long>>> out) {
      out.output(KV.of(job.getKey(), KV.of(ConsumedJobsFn.SIZE, job.getValue())));
    }
  }

  /**
   * Runs the follow until its termination, or until {@code control} is asked to stop, writing into
   * {@code output}.
   *
   * @param inThisJvm whether the pipeline runs in this JVM and was started detached, so that this
   *     method ends it; otherwise {@code run()} returns once the job has ended
   */
  FollowSummary run(PipelineOptions options, Path output, LiveCounts counts, FollowControl control,
      ProgressDisplay progress, PrintWriter err, boolean inThisJvm) {
    Pipeline p = build(options, output, control.id());
    long start = System.nanoTime();
    String stoppedBy = null;
    PipelineCounters metrics;
    try {
      progress.start();
      RunningPipeline running = RunningPipeline.of(p.run());
      metrics = inThisJvm ? follow(running, control, err) : finished(running);
      stoppedBy = control.stopReason();
    } finally {
      progress.close();
    }
    removeTempDirectory(output);
    long[] files = windowFiles(output);
    long items = inThisJvm ? control.taken() : metrics.get("follow_records");
    long jobs = Math.max(metrics.get("follow_jobs_followed"), counts.followedByJob().size());
    return new FollowSummary(jobs, metrics.get("follow_jobs_finished"), items, files[0], files[1],
        (System.nanoTime() - start) / 1e9, output, stoppedBy, inThisJvm ? control.taken() - control.written() : 0,
        counts.noun());
  }

  /** A remote run: Beam's result once the job has ended. */
  private static PipelineCounters finished(RunningPipeline running) {
    while (!running.awaitEnd(java.time.Duration.ofSeconds(5))) {
      // a cluster's job: it ends by its termination, or when cancelled there
    }
    return PipelineCounters.of(running.result());
  }

  /** Waits for the end, or for a stop request, then ends the job; the counters are read while it still runs. */
  private static PipelineCounters follow(RunningPipeline running, FollowControl control, PrintWriter err) {
    while (true) {
      if (running.awaitEnd(LOOK)) {
        return PipelineCounters.of(running.result()); // a runner that ends by itself (Direct)
      }
      if (control.hasEnded()) {
        PipelineCounters c = counters(running.result());
        running.cancel(DRAIN_BOUND);
        return c;
      }
      if (control.stopRequested()) {
        err.println();
        boolean signal = StopSignals.exitCode(control.stopReason()) != 0;
        err.println("Stopping (" + control.stopReason() + "): writing the " + String.format("%,d", control.taken())
            + " items read so far into their window files" + (signal ? "; Ctrl-C again quits at once, without them" : ""));
        err.flush();
        drain(control);
        PipelineCounters c = counters(running.result());
        running.cancel(DRAIN_BOUND);
        return c;
      }
    }
  }

  /**
   * Has the writers write everything they hold, and what still arrives, then take nothing more:
   * every item counted as read is then in a file.
   */
  private static void drain(FollowControl control) {
    long deadline = System.nanoTime() + DRAIN_BOUND.toNanos();
    long readAtStop = control.taken();
    control.phase(FollowControl.Phase.DRAINING);
    // The wait is for what was read when the stop came (what the stop message promises), not for a
    // quiet moment: a crawl that keeps scraping keeps the read busy, and a follow that waited for
    // it to pause could reach the deadline with a batch in flight. What arrives meanwhile is
    // written too, until CLOSED.
    awaitQuiet(() -> control.written() >= readAtStop, deadline);
    control.phase(FollowControl.Phase.CLOSED);
    // A line taken just before CLOSED is written by its writer's next timer.
    awaitQuiet(() -> control.taken() == control.written(), deadline);
  }

  /** Waits until {@code done} has held for a moment, or the deadline. */
  private static void awaitQuiet(BooleanSupplier done, long deadline) {
    long since = -1;
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        if (since < 0) {
          since = System.nanoTime();
        } else if (System.nanoTime() - since > 300_000_000L) {
          return;
        }
      } else {
        since = -1;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The counters of a job still running; none if the runner cannot give them yet. */
  private static PipelineCounters counters(PipelineResult result) {
    try {
      return PipelineCounters.of(result);
    } catch (RuntimeException e) {
      return PipelineCounters.none();
    }
  }

  /**
   * Removes the directory where the writers staged the window files: once the pipeline is done every
   * window is renamed into place, and what is left there is no one's.
   */
  private static void removeTempDirectory(Path output) {
    Path temp = output.resolve(TEMP);
    if (!Files.isDirectory(temp)) {
      return;
    }
    try {
      StagingDirs.deleteTree(temp);
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
