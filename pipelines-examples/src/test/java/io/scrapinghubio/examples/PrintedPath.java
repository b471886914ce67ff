package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The path an example's last line names, read back from the line as a user would. */
final class PrintedPath {
  private PrintedPath() {}

  /** The text of {@code line} between {@code before} and the next {@code after} (or the end), as a path that must exist. */
  static Path in(String line, String before, String after) {
    int from = line.indexOf(before);
    assertTrue(from >= 0, "no '" + before + "' in: " + line);
    from += before.length();
    int to = after == null ? -1 : line.indexOf(after, from);
    Path p = Path.of(line.substring(from, to < 0 ? line.length() : to).strip());
    assertTrue(p.isAbsolute(), "the line names an absolute path: " + line);
    assertTrue(Files.isDirectory(p), "the directory the line names exists: " + p);
    return p;
  }

  /** Everything in {@code dir}, hidden entries and directories included, sorted. */
  static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
