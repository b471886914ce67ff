package io.scrapinghubio.cli.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import io.scrapinghubio.cli.console.ErrorText;

/**
 * An output under a prefix of an object store ({@code s3://bucket/prefix}), written through Beam's
 * own file system for its scheme. An object store has no rename of a prefix, so the publish is not
 * one atomic step; instead:
 *
 * <ul>
 *   <li>the pipeline writes under a hidden sibling prefix {@code .<prefix>.in-progress-<id>/}, which
 *       a failure or a stop removes: nothing appears under the output's prefix;
 *   <li>on completion the files are copied (server-side) under the output's prefix, a marker
 *       {@value #MARKER} listing them is written last, then the staging prefix is removed;
 *   <li>with {@code --overwrite} the old marker is deleted first and the old objects not replaced
 *       by new ones are deleted before the new marker is written: a reader who trusts only a prefix
 *       with its marker never reads a mix of two exports;
 *   <li>a stop (Ctrl-C, SIGTERM) during the publish waits for it to finish (see {@link StagedRun});
 *       a publish that fails is rolled back when there was no old export to keep, else the error
 *       says that the marker is missing and where the complete export still is.
 * </ul>
 *
 * <p>A process killed outright (kill -9) during the publish leaves objects without a marker; one
 * killed while the pipeline runs leaves its staging prefix (no lock can tell a live run from a dead
 * one on an object store): README says how to recognise and clear both.
 */
public final class ObjectStoreStagedOutput implements StagedOutput {
  /** Written last by a publish: the output is complete when it exists (Hadoop's and Spark's convention). */
  public static final String MARKER = "_SUCCESS";

  private static final Pattern URL = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*)://([^/]+)/?(.*)");

  /** Deletes are batched by the file systems (S3: 1,000 keys per request); this bounds one call's list. */
  private static final int DELETE_BATCH = 1000;

  private final String output;
  private final String staging;
  private final boolean overwrite;
  private boolean settled;
  private boolean committed;

  private ObjectStoreStagedOutput(String output, String staging, boolean overwrite) {
    this.output = output;
    this.staging = staging;
    this.overwrite = overwrite;
  }

  /** Whether {@code output} names an object store ({@code scheme://...}) rather than a local directory. */
  static boolean isObjectStore(String output) {
    return output.contains("://");
  }

  /**
   * Checks that the scheme's file system is on the class path, that the prefix is reachable and,
   * without {@code overwrite}, empty.
   */
  static ObjectStoreStagedOutput prepare(String output, boolean overwrite, PipelineOptions options) {
    Matcher m = URL.matcher(output);
    if (!m.matches()) {
      throw new IllegalArgumentException("--output=" + output + " is not a bucket and prefix: expected e.g. "
          + "s3://bucket/exports/items, or a local directory");
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String bucket = m.group(2);
    String prefix = m.group(3).replaceAll("/+$", "");
    if (scheme.equals("gs")) {
      throw new IllegalArgumentException("--output=" + output + ": gs:// needs Beam's Google Cloud Storage file "
          + "system (org.apache.beam:beam-sdks-java-io-google-cloud-platform) on the class path, which this jar "
          + "does not carry: expected s3://bucket/prefix or a local directory");
    }
    if (!scheme.equals("s3")) {
      throw new IllegalArgumentException("--output=" + output + ": " + scheme + ":// is not an output this command "
          + "writes to: expected s3://bucket/prefix or a local directory");
    }
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("--output=" + output + " is a whole bucket: expected a prefix inside it, "
          + "e.g. " + scheme + "://" + bucket + "/exports/items (the export is staged beside that prefix)");
    }
    FileSystems.setDefaultPipelineOptions(options);
    String base = scheme + "://" + bucket + "/";
    String out = base + prefix + "/";
    int slash = prefix.lastIndexOf('/');
    String parent = base + prefix.substring(0, slash + 1);
    String name = prefix.substring(slash + 1);
    String staging = parent + "." + name + ".in-progress-" + UUID.randomUUID().toString().substring(0, 8) + "/";
    List<MatchResult.Metadata> existing;
    try {
      existing = list(out);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("--output=" + output + " cannot be listed (" + whyNotListed(e) + "): "
          + "expected a bucket these credentials can list and write; see README, \"Export to S3\"");
    }
    if (!existing.isEmpty() && !overwrite) {
      throw new IllegalArgumentException("--output=" + output + " already holds " + existing.size() + " object"
          + (existing.size() == 1 ? "" : "s") + "; choose another prefix or add --overwrite to replace them (they "
          + "are replaced only once the new export has completed)");
    }
    return new ObjectStoreStagedOutput(out, staging, overwrite);
  }

  /**
   * What the store or the SDK said, in one line; the two settings a first run most often lacks are
   * named by the variables that give them (the SDK's own text lists every provider it tried).
   */
  private static String whyNotListed(Throwable e) {
    String said = ErrorText.describe(e);
    if (said.contains("Unable to load region")) {
      return "no AWS region: set AWS_REGION, a region in ~/.aws/config, or --s3-region";
    }
    if (said.contains("Unable to load credentials")) {
      return "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or "
          + "~/.aws/credentials";
    }
    return said.replaceFirst("^IOException: software\\.amazon\\.awssdk\\.[\\w.]+\\.(\\w+Exception: )", "$1");
  }

  @Override
  public String output() {
    return output;
  }

  @Override
  public String filesDirectory() {
    return staging + "files/";
  }

  @Override
  public String tempDirectory() {
    return staging + "tmp/";
  }

  @Override
  public String jobsDirectory() {
    return staging + "jobs/";
  }

  /** The staging prefix, for tests and messages. */
  String stagingPrefix() {
    return staging;
  }

  @Override
  public void beginRun(PrintWriter err) {
    // nothing to claim: an object store has no lock a later run could probe
  }

  @Override
  public void releaseRun() {
    // as beginRun
  }

  @Override
  public void endRun() {
    // as beginRun
  }

  @Override
  public synchronized void commit() {
    if (settled) {
      throw new IllegalStateException("the export was stopped before it could be published to " + output);
    }
    settled = true;
    List<ResourceId> published = new ArrayList<>();
    boolean replacing = false;
    try {
      List<MatchResult.Metadata> staged = list(filesDirectory());
      List<MatchResult.Metadata> old = overwrite ? list(output) : List.of();
      replacing = !old.isEmpty();
      // A reader trusting the marker sees no output from here until the new marker is written.
      ResourceId marker = FileSystems.matchNewResource(output + MARKER, false);
      if (replacing) {
        FileSystems.delete(List.of(marker), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      }
      List<ResourceId> from = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (MatchResult.Metadata f : staged) {
        String name = f.resourceId().toString().substring(filesDirectory().length());
        from.add(f.resourceId());
        names.add(name);
        published.add(FileSystems.matchNewResource(output + name, false));
      }
      if (!from.isEmpty()) {
        FileSystems.copy(from, published);
      }
      Set<String> kept = Set.copyOf(published.stream().map(ResourceId::toString).toList());
      List<ResourceId> stale = old.stream().map(MatchResult.Metadata::resourceId)
          .filter(r -> !kept.contains(r.toString()) && !r.toString().equals(marker.toString())).toList();
      delete(stale);
      writeMarker(marker, names);
      committed = true;
    } catch (IOException | RuntimeException e) {
      String why = ErrorText.describe(e);
      if (!replacing) {
        deleteQuietly(published); // nothing was there before: leave nothing
        throw new UncheckedIOException(new IOException("the export completed but could not be published to "
            + output + " (" + why + "); nothing was left there, the staged files were removed"));
      }
      throw new UncheckedIOException(new IOException("the export completed but its publish to " + output
          + " failed half-way (" + why + "): that prefix has no " + MARKER + " marker, so it holds no complete "
          + "export; the complete one is still under " + filesDirectory()));
    } finally {
      if (committed || !replacing) {
        removeStaging();
      }
    }
  }

  @Override
  public synchronized void abandon() {
    if (settled) {
      return;
    }
    settled = true;
    removeStaging();
  }

  /**
   * A stop while the pipeline runs: its writers may still upload a file after a first removal, so
   * the staging prefix is listed and cleared until it stays empty for a moment, within a bound.
   */
  @Override
  public synchronized boolean abandonWhileRunning(Duration bound) {
    if (settled) {
      return !committed;
    }
    settled = true;
    long deadline = System.nanoTime() + bound.toNanos();
    boolean empty;
    do {
      removeStaging();
      try {
        Thread.sleep(200);
        empty = list(staging).isEmpty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      } catch (IOException | RuntimeException e) {
        empty = false;
      }
    } while (!empty && System.nanoTime() < deadline);
    return true;
  }

  @Override
  public long publishedBytes() {
    try {
      return list(output).stream().filter(m -> !m.resourceId().getFilename().equals(MARKER))
          .mapToLong(MatchResult.Metadata::sizeBytes).sum();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Every object under {@code prefix} (which ends with '/'), at any depth. */
  private static List<MatchResult.Metadata> list(String prefix) throws IOException {
    MatchResult r = FileSystems.match(prefix + "**", EmptyMatchTreatment.ALLOW);
    if (r.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    return r.metadata().stream().filter(m -> !m.resourceId().isDirectory()).toList();
  }

  /** The marker: the published files' names, one a line, so that a reader can check it has them all. */
  private static void writeMarker(ResourceId marker, List<String> names) throws IOException {
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(marker, "text/plain"))) {
      out.write((String.join("\n", names) + (names.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void delete(List<ResourceId> objects) throws IOException {
    for (int i = 0; i < objects.size(); i += DELETE_BATCH) {
      FileSystems.delete(objects.subList(i, Math.min(objects.size(), i + DELETE_BATCH)),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  private static void deleteQuietly(List<ResourceId> objects) {
    try {
      delete(objects);
    } catch (IOException | RuntimeException e) {
      // best effort: the error that follows says what went wrong first
    }
  }

  private void removeStaging() {
    try {
      delete(list(staging).stream().map(MatchResult.Metadata::resourceId).toList());
    } catch (IOException | RuntimeException e) {
      // best effort: a leftover hidden prefix is better than a masked pipeline failure
    }
  }
}
