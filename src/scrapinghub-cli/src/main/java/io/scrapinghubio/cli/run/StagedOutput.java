package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.RecordRanges;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a run's files go, so that a re-run never mixes old and new shards and a failed or stopped
 * run publishes nothing: the pipeline writes into a staging area beside the output, and only once
 * it has completed are its files published under the output's name. An output that exists is
 * refused unless the user asked to overwrite it.
 *
 * <p>Two kinds: a local directory ({@link LocalStagedOutput}, swapped in by a rename) and a prefix
 * of an object store reached through Beam's file systems ({@link ObjectStoreStagedOutput}, published
 * by copies and a marker written last).
 *
 * <p>{@link #commit} and {@link #abandonWhileRunning} may race (Ctrl-C arrives on a shutdown-hook
 * thread while the pipeline completes on the main one): whichever comes first wins; a publish under
 * way is finished before the stop's clean-up runs.
 */
public interface StagedOutput {
  /**
   * Checks {@code output} before anything runs; the error names it and the way out.
   *
   * @param options Beam's options, asked for only by an object-store output (its file system is
   *     configured from them): a local one touches no Beam class
   * @throws IllegalArgumentException an output that cannot be used, as the user should read it
   */
  static StagedOutput prepare(String output, boolean overwrite, Supplier<PipelineOptions> options) {
    if (ObjectStoreStagedOutput.isObjectStore(output)) {
      return ObjectStoreStagedOutput.prepare(output, overwrite, options.get());
    }
    return LocalStagedOutput.prepare(output, overwrite);
  }

  /**
   * As {@link #prepare}, for an export whose committed parts outlive a failed, stopped or killed
   * run, for the same {@code command} to resume (see {@link LocalStagedOutput#prepareResumable}).
   * Local directories only: an object-store output is prepared as by {@link #prepare}, and an
   * interrupted export to it starts over.
   *
   * @param command every option that changes what is written, as typed (never the API key)
   * @param rewrite how a part is rewritten if a retry wrote records twice: {@link PartRewrite#lines}
   *     of the parts' compression, or a format's own
   * @throws IllegalArgumentException an output that cannot be used, as the user should read it
   */
  static StagedOutput prepareResumable(String output, boolean overwrite, Supplier<PipelineOptions> options,
      String command, PartRewrite rewrite) {
    if (ObjectStoreStagedOutput.isObjectStore(output)) {
      return ObjectStoreStagedOutput.prepare(output, overwrite, options.get());
    }
    return LocalStagedOutput.prepareResumable(output, overwrite, command, rewrite);
  }

  /** Whether the pipeline writes committed parts that a resumed run keeps ({@link #alreadyWritten()}). */
  default boolean resumable() {
    return false;
  }

  /** The records an interrupted run of the same export had committed, which this run leaves out. */
  default RecordRanges alreadyWritten() {
    return new RecordRanges();
  }

  /**
   * What the interrupted run of this export settled on under {@code name} before writing its parts
   * (the columns of a CSV or Parquet export), which a resumed run must reuse so that every part
   * agrees; empty when there was no such run, or for an output that is not resumable.
   */
  default java.util.Optional<byte[]> settled(String name) {
    return java.util.Optional.empty();
  }

  /** Keeps {@code value} under {@code name} for a later run that resumes this one; nothing if not resumable. */
  default void settle(String name, byte[] value) {}

  /** Why an unfinished export found beside the output was removed instead of resumed, or null. */
  default String discarded() {
    return null;
  }

  /** Whether this failed or stopped run leaves committed parts for the same command to resume. */
  default boolean keptForResume() {
    return false;
  }

  /** Where a stopped resumable export leaves its committed parts, as the user should read it. */
  default String unfinished() {
    return "";
  }

  /** The output as the user should read it: an absolute directory or a {@code scheme://bucket/prefix/}. */
  String output();

  /** Where the pipeline writes its shards (Beam's file-system spec); published on {@link #commit}. */
  String filesDirectory();

  /** Scratch space for the file sink's temporary files, kept out of the shards' directory. */
  String tempDirectory();

  /** Where the pipeline lists the jobs it read (for {@code --consumed-tag}), ending in a separator; never published. */
  String jobsDirectory();

  /** The pipeline is about to start: claim the staging area (and clear what killed runs left, where that is safe). */
  void beginRun(PrintWriter err);

  /** The pipeline has ended or is being stopped: the staging area is no longer this run's to keep. */
  void releaseRun();

  /** After {@link #commit} or {@link #abandon}: nothing of the run is left to do. */
  void endRun();

  /** The run completed: its files are published under the output's name, replacing what was there. */
  void commit();

  /** The run failed: drop its partial files, keep whatever output was there before. */
  void abandon();

  /**
   * Like {@link #abandon}, for a process being stopped while the pipeline may still write: the
   * staging area is removed until it stays gone for a moment, within {@code bound}.
   *
   * @return false if the output had already been published (a stop that came during or after the
   *     publish, which is finished first)
   */
  boolean abandonWhileRunning(Duration bound);

  /** The bytes published under the output. */
  long publishedBytes();
}
