package io.scrapinghubio.cli.options;

import io.scrapinghubio.client.core.ClientConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Which Scrapy Cloud to talk to and as whom. The key itself is never an option (command lines
 * end up in shell histories and process lists): it comes from the environment or a file.
 */
public final class ConnectionOptions {
  /** Where the emulator serves the dash API: under the storage API's root, on the same port. */
  static final String EMULATOR_DASH_PATH = "api/";

  @Option(names = "--project", paramLabel = "ID", converter = PositiveLongConverter.ProjectId.class,
      description = "Scrapy Cloud project id, the number in app.zyte.com/p/<id>/ "
          + "(default: none: without it and without an API key, the command runs on the demo emulator)")
  public Long project;

  @Option(names = "--apikey-file", paramLabel = "FILE",
      description = "File holding the Scrapy Cloud API key; never printed "
          + "(default: the SH_APIKEY, then the SHUB_APIKEY environment variable)")
  public Path apikeyFile;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Storage API endpoint (default: " + ClientConfig.DEFAULT_STORAGE_ENDPOINT + "; with another one, "
          + "--dash-endpoint is needed too, unless it is an emulator's http://127.0.0.1:PORT/, whose dash API is "
          + "PORT/api/)")
  public String endpoint;

  @Option(names = "--dash-endpoint", paramLabel = "URL",
      description = "Dash API endpoint, used to schedule jobs, tag them and list spiders (default: "
          + ClientConfig.DEFAULT_DASH_ENDPOINT + "; derived from an emulator's --endpoint)")
  public String dashEndpoint;

  /**
   * The storage and dash endpoints to use, each null for the client's default (the public hosts).
   *
   * @param storage with a trailing slash, or null
   * @param dash with a trailing slash, or null
   */
  public record Endpoints(String storage, String dash) {}

  /** Whether the user pointed the command at a Scrapy Cloud of their own (so no demo emulator). */
  public boolean namesATarget() {
    return project != null || apikeyFile != null || endpoint != null || dashEndpoint != null;
  }

  /**
   * The endpoints given, checked. One given without the other never leaves the other on the public
   * host, where the key would go too: an emulator's endpoint (loopback, both APIs on one port, the
   * dash API under {@code api/}) gives the other one; any other is a usage error naming the option
   * that is missing.
   */
  public Endpoints endpoints(CommandSpec spec, java.util.Map<String, String> environment) {
    String storage = endpoint == null ? null : url("--endpoint", endpoint, spec);
    String dash = dashEndpoint == null ? null : url("--dash-endpoint", dashEndpoint, spec);
    // The client's own variables, as python-scrapinghub reads them, also move a default off the public host.
    boolean dashFromEnvironment = environment.get("SHUB_APIURL") != null;
    boolean storageFromEnvironment = environment.get("SHUB_STORAGE") != null;
    if (storage != null && dash == null && !dashFromEnvironment
        && !storage.equals(ClientConfig.DEFAULT_STORAGE_ENDPOINT)) {
      if (!isEmulatorRoot(storage)) {
        throw new ParameterException(spec.commandLine(), "--endpoint=" + endpoint + " was given without "
            + "--dash-endpoint: expected --dash-endpoint=URL too (the dash API of the same service), so that the key is "
            + "not sent to " + ClientConfig.DEFAULT_DASH_ENDPOINT);
      }
      dash = storage + EMULATOR_DASH_PATH;
    }
    if (dash != null && storage == null && !storageFromEnvironment
        && !dash.equals(ClientConfig.DEFAULT_DASH_ENDPOINT)) {
      String root = dash.endsWith("/" + EMULATOR_DASH_PATH)
          ? dash.substring(0, dash.length() - EMULATOR_DASH_PATH.length()) : null;
      if (root == null || !isEmulatorRoot(root)) {
        throw new ParameterException(spec.commandLine(), "--dash-endpoint=" + dashEndpoint + " was given without "
            + "--endpoint: expected --endpoint=URL too (the storage API of the same service), so that the key is not "
            + "sent to " + ClientConfig.DEFAULT_STORAGE_ENDPOINT);
      }
      storage = root;
    }
    return new Endpoints(storage, dash);
  }

  private static String url(String option, String value, CommandSpec spec) {
    if (!value.matches("https?://[^/\\s]+.*")) {
      throw new ParameterException(spec.commandLine(), option + "=" + value
          + " is not a URL: expected http(s)://host[:port]/path");
    }
    return value.endsWith("/") ? value : value + "/";
  }

  /** {@code http://<loopback>[:port]/}: where the emulator serves its storage API. */
  static boolean isEmulatorRoot(String url) {
    try {
      URI u = new URI(url);
      String host = u.getHost();
      return host != null && "/".equals(u.getPath()) && u.getQuery() == null && isLoopback(host);
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** By its literal name only: no lookup, which could itself leak where the command goes. */
  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1");
  }
}
