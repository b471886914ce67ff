package io.scrapinghubio.cli.options;

import io.scrapinghubio.client.core.ClientConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which Scrapy Cloud to talk to and as whom. The key itself is never an option (command lines
 * end up in shell histories and process lists): it comes from the environment or a file.
 */
public final class ConnectionOptions {
  @Option(names = "--project", paramLabel = "ID", converter = PositiveLongConverter.ProjectId.class,
      description = "Scrapy Cloud project id, the number in app.zyte.com/p/<id>/ "
          + "(default: none: without it and without an API key, the command runs on the demo emulator)")
  public Long project;

  @Option(names = "--apikey-file", paramLabel = "FILE",
      description = "File holding the Scrapy Cloud API key; never printed "
          + "(default: the SH_APIKEY, then the SHUB_APIKEY environment variable)")
  public Path apikeyFile;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Storage API endpoint (default: " + ClientConfig.DEFAULT_STORAGE_ENDPOINT + ")")
  public String endpoint;

  @Option(names = "--dash-endpoint", paramLabel = "URL",
      description = "Dash API endpoint, used to schedule jobs (default: " + ClientConfig.DEFAULT_DASH_ENDPOINT + ")")
  public String dashEndpoint;

  /** Whether the user pointed the command at a Scrapy Cloud of their own (so no demo emulator). */
  public boolean namesATarget() {
    return project != null || apikeyFile != null || endpoint != null || dashEndpoint != null;
  }
}
