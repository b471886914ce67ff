package io.scrapinghubio.cli.follow;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one pane of {@link WindowFilesFn}, its file name and lines, as that file: into the staging
 * directory first, then renamed into place, so a file that appears is complete, and replacing a
 * namesake. Outputs, for each job with lines in the file, {@code (job key, (file name, lines))}:
 * what {@link ConsumedJobsFn} counts, and whose watermark tells {@link EndOfFollowFn} when every
 * window is written.
 *
 * <p>{@code @RequiresStableInput}: on Flink a pane is handed over only once a checkpoint holding it
 * has completed, and after a restore exactly the panes of that checkpoint are handed over again, as
 * they were. So each file name is written with one content only, however often it is written, and
 * no pane of an attempt that failed before its checkpoint is ever written. The price: a file
 * appears up to one checkpoint interval later.
 */
final class WriteWindowFileFn extends DoFn<KV<String, List<String>>, KV<String, KV<String, Long>>> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final String tempDirectory;
  private final String runId;
  private transient FollowControl control;

  WriteWindowFileFn(Path directory, String tempDirectory, String runId) {
    this.directory = directory.toString();
    this.tempDirectory = tempDirectory;
    this.runId = runId;
  }

  @Setup
  public void setup() {
    control = FollowControl.inThisJvm(runId); // null on a remote cluster
  }

  @RequiresStableInput
  @ProcessElement
  public void process(@Element KV<String, List<String>> pane, OutputReceiver<KV<String, KV<String, Long>>> out) {
    String name = pane.getKey();
    Path target = Path.of(directory).resolve(name);
    // A file of its own per attempt: a writer killed mid-write leaves a stray file in staging, never half a window file.
    Path temp = Path.of(tempDirectory).resolve(name + "." + UUID.randomUUID());
    Map<String, Long> byJob = new TreeMap<>();
    try {
      Files.createDirectories(temp.getParent());
      try (BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (String line : pane.getValue()) {
          w.write(line);
          w.write('\n');
          byJob.merge(FollowLineFn.jobKey(line), 1L, Long::sum);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the window file " + target, e);
    }
    if (control != null) {
      control.wrote(name, pane.getValue().size());
    }
    byJob.forEach((job, lines) -> out.output(KV.of(job, KV.of(name, lines))));
  }
}
