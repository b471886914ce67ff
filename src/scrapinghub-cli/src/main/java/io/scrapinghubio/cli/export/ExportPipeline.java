package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.run.StagedOutput;
import io.scrapinghubio.cli.run.LocalStagedOutput;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.format.RecordFormat;
import io.scrapinghubio.cli.format.RecordLines;
import io.scrapinghubio.cli.progress.WrittenCounts;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.AddProvenanceFn;
import io.scrapinghubio.cli.run.JsonLinesFiles;
import io.scrapinghubio.cli.run.PipelineCounters;
import io.scrapinghubio.cli.run.StagedRun;
import io.scrapinghubio.cli.run.StandardOutputLines;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.beam.metrics.ReadPlan;
import java.util.function.Consumer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.values.PCollection;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Bulk export: every item of the selected jobs, read in parallel by {@code ScrapinghubIO.read()},
 * written as sharded files (JSON lines, CSV, Parquet: {@link RecordFormat}) into an output (a local directory or an object-store
 * prefix) that is published only once the export has completed.
 */
public final class ExportPipeline<T> {
  /**
   * How often each worker JVM's connector logs its own progress line; the command shows its own
   * display, and these lines only with {@code --verbose}.
   */
  private static final Duration WORKER_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private final ScrapinghubRead<T> read;
  /** How each record is written. */
  private final RecordFormat<T> format;
  private final int shards;
  /** How each file is compressed. */
  private Compression compression = Compression.UNCOMPRESSED;
  /** How often each worker of a resumable export commits the part it writes. */
  private Duration commitEvery = Duration.ofSeconds(10);
  /** Whether the summary lists the jobs read (for {@code --consumed-tag}). */
  private boolean recordJobs;
  /** The {@code --with} fields put first on each line; none leaves the stored JSON as it is. */
  private java.util.Set<io.scrapinghubio.cli.options.ProvenanceOption.Field> provenance = java.util.Set.of();

  /**
   * @param selection the jobs to read and how to reach them, e.g.
   *     {@code ScrapinghubIO.read().withConnection(c).withProject(123)}
   * @param format how each record is written, e.g. {@link io.scrapinghubio.cli.format.JsonLines}
   * @param shards number of files; 0 lets the runner choose
   */
  public ExportPipeline(ScrapinghubRead<T> selection, RecordFormat<T> format, int shards) {
    this.read = selection.withProgressInterval(WORKER_PROGRESS_INTERVAL);
    this.format = format;
    this.shards = shards;
  }

  /** Each file compressed with {@code c} (its name then ends with the compression's suffix). */
  ExportPipeline<T> compressing(Compression c) {
    this.compression = c;
    return this;
  }

  /** Each worker of a resumable export commits its part at least every {@code d}. */
  ExportPipeline<T> committingEvery(Duration d) {
    this.commitEvery = d;
    return this;
  }

  /**
   * Each line starts with these fields ({@code --with}); the selection must read store times
   * ({@code withStoreTimes()}) for {@code ts}.
   */
  ExportPipeline<T> adding(java.util.Set<io.scrapinghubio.cli.options.ProvenanceOption.Field> fields) {
    this.provenance = java.util.Set.copyOf(fields);
    return this;
  }

  /** The summary will list the keys of the jobs read, as the read itself selected them. */
  ExportPipeline<T> recordingJobs() {
    this.recordJobs = true;
    return this;
  }

  /** Runs the export into {@code output} (committed on success, removed on failure or Ctrl-C). */
  public ExportSummary run(PipelineOptions options, StagedOutput output, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err) {
    return run(options, output, counts, progress, err, () -> {});
  }

  /**
   * As {@link #run(PipelineOptions, StagedOutput, LiveCounts, ProgressDisplay, PrintWriter)},
   * calling {@code beforeRun} once the pipeline is built: the last moment to change {@code options}.
   */
  ExportSummary run(PipelineOptions options, StagedOutput output, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err, Runnable beforeRun) {
    Pipeline p = Pipeline.create(options);
    PCollection<T> records = records(p, output.jobsDirectory(), output.tempDirectory());
    if (output.resumable()) {
      JsonLinesFiles.writeResumable(records, format, output, counts, compression, commitEvery);
    } else {
      JsonLinesFiles.write(records, format, output, shards, counts, compression);
    }
    beforeRun.run();
    List<String> jobsRead = new ArrayList<>();
    StagedRun.Completed done;
    try (ReadTotal total = totalInto(counts)) {
      // The jobs' list is read from the staging area before the commit removes it.
      done = StagedRun.run(p, output, progress, err, result -> {
        if (recordJobs) {
          jobsRead.addAll(ExportedJobs.read(output.jobsDirectory()));
        }
        return true;
      });
    }
    return summary(done.result(), done.seconds(), output.output(), jobsRead, counts.noun());
  }

  /** The records read; with {@link #recordingJobs()} the keys of the jobs read are written into {@code jobsDir}. */
  private PCollection<T> records(Pipeline p, String jobsDir, String tempDir) {
    PCollection<T> records;
    if (!recordJobs) {
      records = p.apply("ReadItems", read);
    } else {
      ReadResult<T> result = p.apply("ReadItems", read.withResult());
      ExportedJobs.write(result.jobs(), jobsDir, tempDir);
      records = result.records();
    }
    if (provenance.isEmpty()) {
      return records;
    }
    // Before the writers, which write and count each record's bytes: the summary's bytes stay the
    // files' size. Only JSON lines carry the fields (the command refuses --with for other formats),
    // so the records are the connector's own.
    @SuppressWarnings("unchecked")
    PCollection<ScrapinghubRecord> json = (PCollection<ScrapinghubRecord>) records;
    @SuppressWarnings("unchecked")
    PCollection<T> withFields = (PCollection<T>) json.apply("AddProvenance",
        org.apache.beam.sdk.transforms.ParDo.of(new AddProvenanceFn(provenance)));
    return withFields;
  }

  /**
   * Runs the export into this process's standard output ({@code --output=-}), calling
   * {@code beforeRun} once the pipeline is built. Lines appear as they are read; there is nothing
   * to stage, so a failure or Ctrl-C leaves the lines written until then (the exit code says so).
   */
  ExportSummary runToStandardOutput(PipelineOptions options, StandardOutputLines lines, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err, Runnable beforeRun) {
    Pipeline p = Pipeline.create(options);
    // Only --consumed-tag needs the jobs' list, and with nothing staged it goes to a folder of its own.
    Path jobsDir = recordJobs ? temporaryDirectory() : null;
    try {
      lines.writeFrom(jobsDir == null ? records(p, null, null)
          : records(p, jobsList(jobsDir), jobsDir.resolve("tmp").toString()), lines(), counts.id());
      beforeRun.run();
      try (ReadTotal total = totalInto(counts)) {
        return runToStandardOutput(p, counts, progress, err, jobsDir);
      }
    } finally {
      if (jobsDir != null) {
        LocalStagedOutput.deleteQuietly(jobsDir);
      }
    }
  }

  /**
   * Gives {@code counts} the read's total as soon as its plan is complete, every job listed and
   * sized: the "of N" of the progress is then the read's own count, not a guess made beside it.
   * Only the embedded runners size in this JVM; on a cluster the watcher is never called and the
   * progress has no total. Closing it stops the watching, once the run has ended.
   */
  private static ReadTotal totalInto(LiveCounts counts) {
    Consumer<ReadPlan> total = plan -> counts.planned(plan.jobsListed(), plan.records());
    ReadPlan.whenComplete(ReadPlan.BOUNDED_READ, total);
    return () -> ReadPlan.stopWatching(ReadPlan.BOUNDED_READ, total);
  }

  /** The watching of the read's plan for a run's total, ended by {@link #close()}. */
  private interface ReadTotal extends AutoCloseable {
    @Override
    void close();
  }

  /** The format as lines, which is all standard output takes (the command refuses others there). */
  @SuppressWarnings("unchecked") // a RecordLines<T> is the only RecordLines a RecordFormat<T> can be
  private RecordLines<T> lines() {
    if (!(format instanceof RecordLines)) {
      throw new IllegalArgumentException(format.suffix() + " files are not lines: they cannot be streamed to "
          + "standard output");
    }
    return (RecordLines<T>) format;
  }

  private ExportSummary runToStandardOutput(Pipeline p, LiveCounts counts, ProgressDisplay progress, PrintWriter err,
      Path jobsDir) {
    long start = System.nanoTime();
    Thread onStop = new Thread(() -> {
      progress.close();
      err.println();
      err.println("Stopped: the export was interrupted after " + Counted.of(counts.items(), counts.noun())
          + " written to standard output.");
      err.flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(onStop);
    progress.start();
    PipelineResult result;
    try {
      result = p.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new RunFailure("the pipeline ended in state " + state + " instead of DONE");
      }
    } finally {
      progress.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it tells the user
      }
    }
    List<String> jobsRead = jobsDir == null ? List.of() : ExportedJobs.read(jobsList(jobsDir));
    return summary(result, (System.nanoTime() - start) / 1e9, "standard output", jobsRead, counts.noun());
  }

  /** The folder of the jobs' list inside {@code jobsDir}, as Beam's file systems name a directory. */
  private static String jobsList(Path jobsDir) {
    return jobsDir.resolve("list") + java.io.File.separator;
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("scrapinghub-export-jobs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the list of jobs read", e);
    }
  }

  private static ExportSummary summary(PipelineResult result, double seconds, String destination,
      List<String> jobsRead, String noun) {
    PipelineCounters c = PipelineCounters.of(result);
    return new ExportSummary(c.get("read_jobs"), c.get(WrittenCounts.RECORDS),
        c.get(WrittenCounts.BYTES), seconds, destination, jobsRead, noun);
  }
}
