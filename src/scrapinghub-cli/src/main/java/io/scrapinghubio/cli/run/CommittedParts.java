package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.RecordRanges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.Compression;

/**
 * The part files of a resumable export (see {@link RollingPartsFn}) and what they hold. A part
 * counts once its {@code .ranges} file exists: it is written after the part is complete, so a
 * part a killed run was writing, or had just renamed, does not count and is removed.
 */
public final class CommittedParts {
  /** The suffix of a file still being written. */
  static final String TMP = ".tmp";

  private CommittedParts() {}

  /**
   * Removes from {@code dir} whatever no commit completed, and returns the records its committed
   * parts hold: what a resumed export does not read again.
   */
  public static RecordRanges recover(Path dir) {
    removeUncommitted(dir);
    RecordRanges held = new RecordRanges();
    for (Path part : parts(dir)) {
      for (PartRuns.Run r : PartRuns.read(part)) {
        held.add(r.jobKey(), r.from(), r.to());
      }
    }
    return held;
  }

  /** Removes from {@code dir} the files of parts no commit completed. */
  private static void removeUncommitted(Path dir) {
    for (Path f : list(dir)) {
      String name = f.getFileName().toString();
      boolean orphan = name.endsWith(TMP)
          || (name.endsWith(PartRuns.SUFFIX) && !Files.exists(dataOf(f)))
          || (!name.endsWith(PartRuns.SUFFIX) && !Files.exists(PartRuns.sidecarOf(f)));
      if (orphan) {
        delete(f);
      }
    }
  }

  /**
   * Makes {@code dir} a plain export before it is published: each record in exactly one part, and
   * no {@code .ranges} files. A part that repeats records of an earlier one (a worker's work
   * retried by the runner after it had committed a part) is rewritten without them.
   */
  public static void seal(Path dir, Compression compression) {
    seal(dir, PartRewrite.lines(compression));
  }

  /** As {@link #seal(Path, Compression)}, for parts that {@code rewrite} rewrites (e.g. Parquet's). */
  public static void seal(Path dir, PartRewrite rewrite) {
    removeUncommitted(dir); // each part's runs are read once, below
    RecordRanges held = new RecordRanges();
    for (Path part : parts(dir)) {
      List<PartRuns.Run> runs = PartRuns.read(part);
      boolean repeats = runs.stream().anyMatch(r -> held.overlaps(r.jobKey(), r.from(), r.to()));
      if (repeats && rewriteWithout(part, runs, held, rewrite) == 0) {
        delete(part);
      }
      for (PartRuns.Run r : runs) {
        held.add(r.jobKey(), r.from(), r.to());
      }
      delete(PartRuns.sidecarOf(part));
    }
  }

  /** Rewrites {@code part} keeping only the records {@code held} lacks; returns how many it kept. */
  private static long rewriteWithout(Path part, List<PartRuns.Run> runs, RecordRanges held, PartRewrite rewrite) {
    Path tmp = part.resolveSibling(part.getFileName() + TMP);
    BitSet keep = new BitSet();
    int position = 0;
    for (PartRuns.Run r : runs) {
      for (long i = r.from(); i < r.to(); i++, position++) {
        keep.set(position, !held.contains(r.jobKey(), i));
      }
    }
    try {
      long kept = rewrite.rewrite(part, tmp, position, keep);
      Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return kept;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + part + " without the records an earlier part holds", e);
    }
  }

  /** The committed parts of {@code dir}, by name. */
  static List<Path> parts(Path dir) {
    return list(dir).stream().filter(f -> {
      String name = f.getFileName().toString();
      return !name.endsWith(PartRuns.SUFFIX) && !name.endsWith(TMP) && Files.exists(PartRuns.sidecarOf(f));
    }).toList();
  }

  private static Path dataOf(Path sidecar) {
    String name = sidecar.getFileName().toString();
    return sidecar.resolveSibling(name.substring(0, name.length() - PartRuns.SUFFIX.length()));
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void delete(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + f + ", which an interrupted export left unfinished", e);
    }
  }
}
