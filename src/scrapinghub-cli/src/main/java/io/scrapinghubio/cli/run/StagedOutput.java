package io.scrapinghubio.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

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
public final class StagedOutput {
  private final Path output;
  /** Holds {@code files} (the shards, to become the output) and {@code tmp} (the sink's scratch space). */
  private final Path staging;
  private final Path files;
  /** Set by the first of {@link #commit} and {@link #abandon}. */
  private boolean settled;

  private StagedOutput(Path output, Path staging) {
    this.output = output;
    this.staging = staging;
    this.files = staging.resolve("files");
  }

  /** Checks {@code output} before anything runs; the error names the path and the way out. */
  public static StagedOutput prepare(String output, boolean overwrite) {
    if (output.contains("://")) {
      throw new IllegalArgumentException("--output=" + output + " is not a local directory; the export writes to a "
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
    Path staging = out.resolveSibling("." + out.getFileName() + ".in-progress-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      Files.createDirectories(staging.resolve("files"));
      Files.createDirectories(staging.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + staging + " to export into", e);
    }
    return new StagedOutput(out, staging);
  }

  /** The directory the pipeline writes its shards into; it becomes the output when committed. */
  public String filesDirectory() {
    return files.toString();
  }

  /** Scratch space for the file sink's temporary files, kept out of the shards' directory. */
  public String tempDirectory() {
    return staging.resolve("tmp").toString();
  }

  /** Where the pipeline lists the jobs it read (for {@code --consumed-tag}); never part of the output. */
  public Path jobsDirectory() {
    return staging.resolve("jobs");
  }

  /** Deletes {@code dir} and what it holds, as far as it can. */
  public static void deleteQuietly(Path dir) {
    try {
      StagingDirs.deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      // a temporary folder left behind is better than a masked result
    }
  }

  public Path output() {
    return output;
  }

  /** The export completed: its files take the output's name, replacing what was there. */
  public synchronized void commit() {
    if (settled) {
      throw new IllegalStateException("the export was stopped before it could be moved to " + output);
    }
    settled = true;
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
      StagingDirs.deleteTree(staging);
      if (old != null) {
        StagingDirs.deleteTree(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the export completed in " + files + " but could not be moved to " + output, e);
    }
  }

  /** The export failed or was stopped: drop its partial files, keep whatever export was there before. */
  public synchronized void abandon() {
    if (settled) {
      return;
    }
    settled = true;
    removeStaging();
  }

  /**
   * Like {@link #abandon}, for a process being stopped (Ctrl-C) while the pipeline still runs: its
   * writers may recreate a directory just removed (Beam's local file system creates parents), so
   * the staging directory is removed until it stays gone for a moment, within a bound.
   */
  public synchronized void abandonWhileRunning(java.time.Duration bound) {
    if (settled) {
      return;
    }
    settled = true;
    long deadline = System.nanoTime() + bound.toNanos();
    do {
      removeStaging();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    } while (Files.exists(staging) && System.nanoTime() < deadline);
  }

  private void removeStaging() {
    try {
      StagingDirs.deleteTree(staging);
    } catch (IOException | UncheckedIOException e) {
      // best effort: a hidden leftover directory is better than a masked pipeline failure
    }
  }
}
