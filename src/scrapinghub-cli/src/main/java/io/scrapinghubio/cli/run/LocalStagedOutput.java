package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.RecordRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.beam.sdk.io.Compression;

/**
 * Where an export's files go, so that a re-run never mixes old and new shards: the pipeline
 * writes into a fresh sibling directory, and only once it has completed does that directory take
 * the output's name. An output that exists is refused unless the user asked to overwrite it; then
 * the old directory is removed as a whole, after the new one is complete, so no stale shard
 * survives and a failed run leaves the previous export untouched.
 *
 * <p>Local paths only: a rename of a directory is what makes the swap cheap and all-or-nothing.
 *
 * <p>{@link #commit} and {@link #abandon} may race (Ctrl-C arrives on a shutdown-hook thread while
 * the pipeline completes on the main one): whichever comes first wins, so an interrupted export
 * never appears under the output's name.
 */
public final class LocalStagedOutput implements StagedOutput {
  private final Path output;
  /** Holds {@code files} (the shards, to become the output) and {@code tmp} (the sink's scratch space). */
  private final Path staging;
  private final Path files;
  /** Set by the first of {@link #commit} and {@link #abandon}. */
  private boolean settled;
  /** Whether {@link #commit} moved the files into place. */
  private boolean committed;
  /** This run's lock on {@code staging} while its pipeline runs (see {@link StagingDirs}). */
  private StagingDirs.Claim claim;
  /** Whether the staging directory outlives a failed or stopped run, for the same command to resume. */
  private final boolean resumable;
  /** How a part of a resumable export is rewritten at publication (its format and compression). */
  private final PartRewrite rewrite;
  /** What an interrupted run of the same export had committed; empty for a fresh one. */
  private final RecordRanges alreadyWritten;
  /** Why an unfinished staging directory was not resumed (it was another command's), or null. */
  private final String discarded;

  private LocalStagedOutput(Path output, Path staging) {
    this(output, staging, false, PartRewrite.lines(Compression.UNCOMPRESSED), new RecordRanges(), null);
  }

  private LocalStagedOutput(Path output, Path staging, boolean resumable, PartRewrite rewrite,
      RecordRanges alreadyWritten, String discarded) {
    this.output = output;
    this.staging = staging;
    this.files = staging.resolve("files");
    this.resumable = resumable;
    this.rewrite = rewrite;
    this.alreadyWritten = alreadyWritten;
    this.discarded = discarded;
  }

  /** Checks {@code output} before anything runs; the error names the path and the way out. */
  public static LocalStagedOutput prepare(String output, boolean overwrite) {
    Path out = checked(output, overwrite);
    Path staging = out.resolveSibling("." + out.getFileName() + ".in-progress-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(staging.resolve("files"));
      Files.createDirectories(staging.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + staging + " to export into", e);
    }
    return new LocalStagedOutput(out, staging);
  }

  /**
   * As {@link #prepare}, for an export that a failure, Ctrl-C or kill does not throw away: its
   * staging directory has a fixed name, {@code .<output>.unfinished}, and stays when the run does
   * not complete if it holds committed parts; the next run of the same {@code command} (a
   * description of every option that changes what is written) continues from them. A staging
   * directory of another command is removed, which {@link #discarded()} says.
   *
   * @throws IllegalArgumentException for an output that exists (without {@code overwrite}), or
   *     whose unfinished export another process is running
   */
  public static LocalStagedOutput prepareResumable(String output, boolean overwrite, String command,
      PartRewrite rewrite) {
    Path out = checked(output, overwrite);
    Path staging = out.resolveSibling("." + out.getFileName() + ".unfinished");
    Path commandFile = staging.resolve("command");
    String discarded = null;
    try {
      if (Files.isDirectory(staging)) {
        if (StagingDirs.ownedElsewhere(staging)) {
          throw new IllegalArgumentException("--output=" + output + " is being written by another export right now "
              + "(it holds " + staging + "); wait for it to end, or choose another directory");
        }
        String before = Files.exists(commandFile) ? Files.readString(commandFile, StandardCharsets.UTF_8) : "";
        if (!before.equals(command)) {
          discarded = before.isEmpty() ? "of an unknown command" : "of another command (" + before + ")";
          StagingDirs.deleteTree(staging);
        }
      }
      Files.createDirectories(staging.resolve("files"));
      StagingDirs.deleteTree(staging.resolve("tmp"));
      StagingDirs.deleteTree(staging.resolve("jobs"));
      Files.createDirectories(staging.resolve("tmp"));
      Files.writeString(commandFile, command, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + staging + " to export into", e);
    }
    RecordRanges held = CommittedParts.recover(staging.resolve("files"));
    return new LocalStagedOutput(out, staging, true, rewrite, held, discarded);
  }

  @Override
  public boolean resumable() {
    return resumable;
  }

  @Override
  public java.util.Optional<byte[]> settled(String name) {
    Path kept = settledFile(name);
    try {
      return resumable && Files.exists(kept) ? java.util.Optional.of(Files.readAllBytes(kept)) : java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kept + ", kept by the interrupted export", e);
    }
  }

  @Override
  public void settle(String name, byte[] value) {
    if (!resumable) {
      return;
    }
    Path kept = settledFile(name);
    try {
      // Written whole, then renamed: a run killed here leaves the old value or none, never half of one.
      Path tmp = kept.resolveSibling(kept.getFileName() + ".tmp");
      Files.write(tmp, value);
      Files.move(tmp, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + kept + " for a resumed export", e);
    }
  }

  /** Beside the command and the parts, in the staging directory a resumed run finds. */
  private Path settledFile(String name) {
    if (!name.matches("[a-z][a-z-]*")) {
      throw new IllegalArgumentException("a settled value's name is lower-case letters and dashes, but was '" + name + "'");
    }
    return staging.resolve("settled-" + name);
  }

  @Override
  public RecordRanges alreadyWritten() {
    return alreadyWritten;
  }

  @Override
  public String discarded() {
    return discarded;
  }

  @Override
  public String unfinished() {
    return staging.toString();
  }

  /**
   * Whether this stopped resumable export has committed parts, which its staging directory then
   * keeps for the next run; one with none is removed like any other.
   */
  @Override
  public boolean keptForResume() {
    return resumable && !committed && !CommittedParts.parts(files).isEmpty();
  }

  /** {@code output} as an absolute path, once it is known to be a local directory that may be written. */
  private static Path checked(String output, boolean overwrite) {
    if (output.contains("://")) {
      throw new IllegalArgumentException("--output=" + output + " is not a local directory; this command writes to a "
          + "local directory and swaps it in when complete");
    }
    Path out = Path.of(output).toAbsolutePath().normalize();
    if (Files.exists(out) && !overwrite) {
      throw new IllegalArgumentException("--output=" + output + " already exists; choose another directory or add "
          + "--overwrite to replace it (it is replaced only once the new export has completed)");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--output=" + output + " is a file, expected a directory");
    }
    return out;
  }

  @Override
  public String filesDirectory() {
    return files.toString();
  }

  @Override
  public String tempDirectory() {
    return staging.resolve("tmp").toString();
  }

  @Override
  public String jobsDirectory() {
    return staging.resolve("jobs") + java.io.File.separator;
  }

  /**
   * Claims the staging directory (a lock file a later run can probe) and removes the ones earlier
   * runs of the same output left when killed.
   */
  @Override
  public void beginRun(java.io.PrintWriter err) {
    claim = StagingDirs.claim(staging);
    StagingDirs.removeLeftBehind(output, staging, err);
    StagingDirs.handledHere(staging, true);
  }

  @Override
  public void releaseRun() {
    if (claim != null) {
      claim.release();
    }
  }

  @Override
  public void endRun() {
    StagingDirs.handledHere(staging, false);
  }

  @Override
  public long publishedBytes() {
    try (java.util.stream.Stream<Path> shards = Files.list(output)) {
      return shards.mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Deletes {@code dir} and what it holds, as far as it can. */
  public static void deleteQuietly(Path dir) {
    try {
      StagingDirs.deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind is better than a masked result
    }
  }

  /** The output directory, absolute. */
  public Path path() {
    return output;
  }

  @Override
  public String output() {
    return output.toString();
  }

  /** The export completed: its files take the output's name, replacing what was there. */
  @Override
  public synchronized void commit() {
    if (settled) {
      throw new IllegalStateException("the export was stopped before it could be moved to " + output);
    }
    settled = true;
    if (resumable) {
      CommittedParts.seal(files, rewrite);
    }
    try {
      Path old = null;
      if (Files.exists(output)) {
        old = output.resolveSibling("." + output.getFileName() + ".replaced-" + UUID.randomUUID().toString().substring(0, 8));
        Files.move(output, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(files, output, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(files, output);
      }
      committed = true;
      StagingDirs.deleteTree(staging);
      if (old != null) {
        StagingDirs.deleteTree(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the export completed in " + files + " but could not be moved to " + output, e);
    }
  }

  /** The export failed or was stopped: drop its partial files, keep whatever export was there before. */
  @Override
  public synchronized void abandon() {
    if (settled) {
      return;
    }
    settled = true;
    if (keptForResume()) {
      return;
    }
    removeStaging();
  }

  /**
   * Like {@link #abandon}, for a process being stopped (Ctrl-C) while the pipeline still runs: its
   * writers may recreate a directory just removed (Beam's local file system creates parents), so
   * the staging directory is removed until it stays gone for a moment, within a bound.
   */
  @Override
  public synchronized boolean abandonWhileRunning(java.time.Duration bound) {
    if (settled) {
      return !committed;
    }
    settled = true;
    if (keptForResume()) {
      return true; // the parts committed so far are the next run's start; what is half-written it removes
    }
    long deadline = System.nanoTime() + bound.toNanos();
    do {
      removeStaging();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    } while (Files.exists(staging) && System.nanoTime() < deadline);
    return true;
  }

  private void removeStaging() {
    try {
      StagingDirs.deleteTree(staging);
    } catch (IOException | UncheckedIOException e) {
      // best effort: a hidden leftover directory is better than a masked pipeline failure
    }
  }
}
