package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.RecordRanges;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
    removeUncommitted(dir); // each part's runs are read once, below
    RecordRanges held = new RecordRanges();
    for (Path part : parts(dir)) {
      List<PartRuns.Run> runs = PartRuns.read(part);
      boolean repeats = runs.stream().anyMatch(r -> held.overlaps(r.jobKey(), r.from(), r.to()));
      if (repeats && rewriteWithout(part, runs, held, compression) == 0) {
        delete(part);
      }
      for (PartRuns.Run r : runs) {
        held.add(r.jobKey(), r.from(), r.to());
      }
      delete(PartRuns.sidecarOf(part));
    }
  }

  /** Rewrites {@code part} keeping only the lines whose records {@code held} lacks; returns how many it kept. */
  private static long rewriteWithout(Path part, List<PartRuns.Run> runs, RecordRanges held, Compression compression) {
    Path tmp = part.resolveSibling(part.getFileName() + TMP);
    try (InputStream in = new BufferedInputStream(Channels.newInputStream(
            compression.readDecompressed(FileChannel.open(part))), 1 << 16);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(compression.writeCompressed(
            FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE))), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      long kept = 0;
      for (PartRuns.Run r : runs) {
        for (long i = r.from(); i < r.to(); i++) {
          readLine(in, line, part);
          if (!held.contains(r.jobKey(), i)) {
            line.writeTo(out);
            kept++;
          }
        }
      }
      out.close();
      Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return kept;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + part + " without the records an earlier part holds", e);
    }
  }

  /** Reads one line, its newline included, into {@code line}. */
  private static void readLine(InputStream in, ByteArrayOutputStream line, Path part) throws IOException {
    line.reset();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        return;
      }
    }
    throw new IOException(part + " holds fewer lines than its " + PartRuns.SUFFIX + " file lists");
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
