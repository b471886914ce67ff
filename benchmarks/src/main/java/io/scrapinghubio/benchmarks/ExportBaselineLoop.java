package io.scrapinghubio.benchmarks;

import io.scrapinghubio.client.JobData;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The simplest export a user could write instead of a pipeline: one thread lists the project's
 * finished jobs and writes every item's JSON as one line of a single buffered file, job after job,
 * in one of three ways:
 *
 * <ul>
 *   <li>{@code one-stream}: one request per job, read as it streams and written as it arrives, what
 *       the official Python client's {@code iter()}, {@code shub items} and the delivery scripts do.
 *       The export benchmark's baseline.</li>
 *   <li>{@code paged}: the request pattern of this client before reads were streamed: pages of 1,000
 *       records, two ahead; a round trip per page.</li>
 *   <li>{@code iter}: the client's {@code iter()} with its defaults today.</li>
 * </ul>
 *
 * <pre>SH_APIKEY=... java -cp ... ExportBaselineLoop STORAGE_URL DASH_URL PROJECT OUTPUT_FILE [one-stream|paged|iter] [gzip]</pre>
 */
public final class ExportBaselineLoop {
  private ExportBaselineLoop() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 4 ? args[4] : "one-stream";
    boolean gzip = args.length > 5 && args[5].equals("gzip");
    ClientConfig config = ClientConfig.builder().storageEndpoint(args[0]).dashEndpoint(args[1]).gzip(gzip).build();
    long project = Long.parseLong(args[2]);
    Path output = Path.of(args[3]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    long items = 0;
    long jobs = 0;
    try (ScrapinghubClient client = ScrapinghubClient.create(config);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
      for (JobSummary job : client.getProject(project).jobs().iter(JobQuery.all().state("finished"))) {
        jobs++;
        JobData data = client.getJob(job.key()).items();
        ReadSpec spec = switch (mode) {
          case "one-stream" -> data.spec().withOneRequest();
          case "paged" -> data.spec().withPageSize(1000).withPrefetchPages(2);
          case "iter" -> data.spec();
          default -> throw new IllegalArgumentException("mode must be one-stream, paged or iter, but was " + mode);
        };
        try (PagedReader reader = data.reader(spec)) {
          while (reader.hasNext()) {
            JobRecord r = reader.next();
            out.write(r.jsonBytes());
            out.write('\n');
            items++;
          }
        }
      }
    }
    System.out.printf("Exported %d jobs, %d items%n", jobs, items);
  }
}
