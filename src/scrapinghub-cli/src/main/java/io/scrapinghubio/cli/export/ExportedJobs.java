package io.scrapinghubio.cli.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * The keys of the jobs an export read (the read's own selection, {@code ReadResult.jobs()}),
 * written by the pipeline as text files into a folder of the staging area, and read back by the
 * command once the pipeline has completed: workers on a cluster reach the command only through
 * files. The folder is a Beam file-system spec, so that it may be a local directory or a prefix of
 * an object store (an export to {@code s3://}).
 */
final class ExportedJobs {
  private ExportedJobs() {}

  /**
   * Writes {@code jobs}, one key per line, into {@code dir} (a local directory or {@code s3://...},
   * ending with a separator), using {@code tempDir} for Beam's scratch files.
   */
  static void write(PCollection<String> jobs, String dir, String tempDir) {
    jobs.apply("RecordJobsRead", TextIO.write().to(dir + "jobs").withSuffix(".txt")
        .withTempDirectory(FileSystems.matchNewResource(tempDir, true)));
  }

  /** The keys written into {@code dir}, sorted. */
  static List<String> read(String dir) {
    TreeSet<String> keys = new TreeSet<>();
    try {
      MatchResult files = FileSystems.match(dir + "*.txt", EmptyMatchTreatment.ALLOW);
      if (files.status() == MatchResult.Status.NOT_FOUND) {
        return List.of();
      }
      for (MatchResult.Metadata f : files.metadata()) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
            Channels.newInputStream(FileSystems.open(f.resourceId())), StandardCharsets.UTF_8))) {
          r.lines().filter(l -> !l.isBlank()).forEach(keys::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the list of jobs exported from " + dir, e);
    }
    return List.copyOf(keys);
  }
}
