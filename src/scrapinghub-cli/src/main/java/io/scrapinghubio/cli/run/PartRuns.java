package io.scrapinghubio.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which records one part file holds, in its lines' order: runs of consecutive indices of one job.
 * Written beside the part, as {@code <part>.ranges}, once the part is complete: the file whose
 * existence says that the part counts (see {@link CommittedParts}).
 */
final class PartRuns {
  /** Records {@code [from, to)} of one job, the part's next {@code to - from} lines. */
  record Run(String jobKey, long from, long to) {}

  static final String SUFFIX = ".ranges";

  private final List<Run> runs = new ArrayList<>();
  private String jobKey;
  private long from;
  private long to;

  /** The part's next line is record {@code index} of {@code jobKey}. */
  void add(String jobKey, long index) {
    if (index == to && jobKey.equals(this.jobKey)) {
      to++;
      return;
    }
    close();
    this.jobKey = jobKey;
    this.from = index;
    this.to = index + 1;
  }

  List<Run> runs() {
    close();
    return List.copyOf(runs);
  }

  private void close() {
    if (jobKey != null) {
      runs.add(new Run(jobKey, from, to));
      jobKey = null;
    }
  }

  /** Writes the runs beside {@code part}, all at once (through a temporary file and a rename). */
  static void commit(Path part, List<Run> runs) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Run r : runs) {
      text.append(r.jobKey()).append('\t').append(r.from()).append('\t').append(r.to()).append('\n');
    }
    Path sidecar = sidecarOf(part);
    Path tmp = sidecar.resolveSibling(sidecar.getFileName() + CommittedParts.TMP);
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The runs written beside {@code part}. */
  static List<Run> read(Path part) {
    List<Run> runs = new ArrayList<>();
    Path sidecar = sidecarOf(part);
    try {
      for (String line : Files.readAllLines(sidecar, StandardCharsets.UTF_8)) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length != 3) {
          throw new IllegalStateException(sidecar + " holds a line that is not 'job<TAB>from<TAB>to': " + line);
        }
        runs.add(new Run(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sidecar, e);
    }
    return runs;
  }

  static Path sidecarOf(Path part) {
    return part.resolveSibling(part.getFileName() + SUFFIX);
  }
}
