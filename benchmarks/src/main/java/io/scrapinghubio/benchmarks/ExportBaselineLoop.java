package io.scrapinghubio.benchmarks;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.read.JobRecord;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The simplest export a user could write instead of a pipeline, and the export benchmark's
 * baseline: one thread lists the project's finished jobs and writes every item's JSON as one line
 * of a single buffered file, job after job, with the client's {@code iter()}.
 *
 * <pre>SH_APIKEY=... java -cp ... ExportBaselineLoop STORAGE_URL DASH_URL PROJECT OUTPUT_FILE</pre>
 */
public final class ExportBaselineLoop {
  private ExportBaselineLoop() {}

  public static void main(String[] args) throws Exception {
    ClientConfig config = ClientConfig.builder().storageEndpoint(args[0]).dashEndpoint(args[1]).gzip(false).build();
    long project = Long.parseLong(args[2]);
    Path output = Path.of(args[3]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    long items = 0;
    long jobs = 0;
    try (ScrapinghubClient client = ScrapinghubClient.create(config);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
      for (JobSummary job : client.getProject(project).jobs().iter(JobQuery.all().state("finished"))) {
        jobs++;
        for (JobRecord r : client.getJob(job.key()).items().iter()) {
          out.write(r.jsonBytes());
          out.write('\n');
          items++;
        }
      }
    }
    System.out.printf("Exported %d jobs, %d items%n", jobs, items);
  }
}
