package io.scrapinghubio.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where an example writes: its {@code --output} directory made absolute where the example was
 * started (a worker on a cluster has another working directory, and the summary line must say where
 * the files are), and a staging directory beside it for the temporary files of the writers, so that
 * the output holds the example's files and nothing else.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /** {@code output} as an absolute, normalised path; a blank one is refused, naming the option. */
  static Path of(String output) {
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("--output is empty: expected a directory");
    }
    Path dir = Path.of(output).toAbsolutePath().normalize();
    if (dir.getParent() == null) {
      throw new IllegalArgumentException("--output=" + output + " is a file system root: expected a directory below it");
    }
    return dir;
  }

  /** {@code .<name>.staging} beside {@code dir}: same file system (files are renamed from it), not inside. */
  static Path staging(Path dir) {
    return dir.resolveSibling("." + dir.getFileName() + ".staging");
  }

  /**
   * Removes the staging directory once the pipeline has ended: every file was renamed into the
   * output by then, and what is left (files of a writer killed mid-write) is nobody's.
   */
  static void removeStaging(Path dir) {
    Path staging = staging(dir);
    if (!Files.exists(staging)) {
      return;
    }
    try (Stream<Path> s = Files.walk(staging)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the staging directory " + staging, e);
    }
  }

  /** The regular files of {@code dir} whose names pass {@code name}, sorted; none if it does not exist. */
  static List<Path> files(Path dir, Predicate<String> name) {
    return files(dir, name, true);
  }

  private static List<Path> files(Path dir, Predicate<String> name, boolean regularOnly) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> (!regularOnly || Files.isRegularFile(f)) && name.test(f.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Everything in {@code dir}, sorted; nothing if it does not exist. */
  static List<Path> entries(Path dir) {
    return files(dir, n -> true, false);
  }

  /** The lines of all {@code files}. */
  static long lines(List<Path> files) {
    long n = 0;
    for (Path f : files) {
      try (Stream<String> l = Files.lines(f)) {
        n += l.count();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return n;
  }
}
