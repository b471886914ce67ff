package io.scrapinghubio.cli.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.values.PCollection;

/**
 * The keys of the jobs an export read (the read's own selection, {@code ReadResult.jobs()}),
 * written by the pipeline as text files into a folder of the staging area, and read back by the
 * command once the pipeline has completed: workers on a cluster reach the command only through
 * files.
 */
final class ExportedJobs {
  private ExportedJobs() {}

  /** Writes {@code jobs}, one key per line, into {@code dir} (using {@code tempDir} for Beam's scratch files). */
  static void write(PCollection<String> jobs, Path dir, String tempDir) {
    jobs.apply("RecordJobsRead", TextIO.write().to(dir.resolve("jobs").toString()).withSuffix(".txt")
        .withTempDirectory(org.apache.beam.sdk.io.FileSystems.matchNewResource(tempDir, true)));
  }

  /** The keys written into {@code dir}, sorted. */
  static List<String> read(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".txt")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the list of jobs exported, " + f, e);
        }
      }).filter(l -> !l.isBlank()).distinct().sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
