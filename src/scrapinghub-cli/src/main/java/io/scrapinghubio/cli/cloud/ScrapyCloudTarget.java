package io.scrapinghubio.cli.cloud;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.ErrorText;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The Scrapy Cloud a command works on: the user's (an API key and {@code --project} or job keys),
 * or, when the user named none and has no key set, an emulator started in this JVM with demo data,
 * announced on the command's first line. The API key is never an option of its own (see
 * {@link ApiKeys}) and so never becomes a Beam pipeline option either: options end up in logs and
 * job UIs.
 */
public final class ScrapyCloudTarget implements AutoCloseable {
  /** The key the demo emulator accepts: not a secret, the emulator runs on loopback in this JVM. */
  static final String DEMO_KEY = "0123456789abcdef0123456789abcdef";

  private final ClientConfig clientConfig;
  private final Long project;
  private final ScrapyCloudEmulator emulator;

  private ScrapyCloudTarget(ClientConfig clientConfig, Long project, ScrapyCloudEmulator emulator) {
    this.clientConfig = clientConfig;
    this.project = project;
    this.emulator = emulator;
  }

  /**
   * Decides where the command runs. Usage errors (no key for the project given, a key but no
   * project, a bad endpoint or key file) are thrown as picocli parameter errors before anything
   * starts; in demo mode the emulator is started and the first line printed.
   *
   * @param jobKeysGiven whether the command names its jobs by key (which carry their project)
   */
  public static ScrapyCloudTarget open(ConnectionOptions options, boolean jobKeysGiven, DemoEmulator demo,
      CliContext context, CommandSpec spec) {
    Optional<ApiKey> key;
    try {
      key = ApiKeys.find(options.apikeyFile, context);
    } catch (ApiKeys.BadKeyFile e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (key.isEmpty() && !options.namesATarget()) {
      return demo(demo, context);
    }
    if (key.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no API key: expected SH_APIKEY (or SHUB_APIKEY) to be set, "
          + "or --apikey-file=FILE (the demo emulator runs only without --project, --endpoint and --dash-endpoint)");
    }
    if (options.project == null && !jobKeysGiven) {
      throw new ParameterException(spec.commandLine(), "an API key is set but no --project: expected --project=ID"
          + (demo == null ? "" : " or --jobs P/S/J,...") + " (without a key set, the command runs on demo data)");
    }
    ConnectionOptions.Endpoints endpoints = options.endpoints(spec, context.environment());
    ClientConfig.Builder config = ClientConfig.builder().apiKey(key.get());
    if (endpoints.storage() != null) {
      config.storageEndpoint(endpoints.storage());
    }
    if (endpoints.dash() != null) {
      config.dashEndpoint(endpoints.dash());
    }
    return new ScrapyCloudTarget(config.build(), options.project, null);
  }

  private static ScrapyCloudTarget demo(DemoEmulator demo, CliContext context) {
    ScrapyCloudEmulator emulator = demo.configure(ScrapyCloudEmulator.builder().apiKey(DEMO_KEY)).start();
    context.out().printf("Demo mode (no --project and no API key set): an embedded Scrapy Cloud emulator at %s "
        + "with %s, project %d%n", emulator.storageUrl(), demo.describe(), demo.project());
    context.out().flush();
    ClientConfig config = ClientConfig.builder().apiKey(DEMO_KEY)
        .storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
    return new ScrapyCloudTarget(config, demo.project(), emulator);
  }

  /**
   * One quick request per project before any pipeline starts, so that an unreachable endpoint,
   * a refused key or a missing job is one clear line within seconds rather than a pipeline
   * failing after its retries (the pipeline keeps the full retry policy).
   */
  /**
   * Refuses a spider the project does not have, before anything starts (a job selection or a
   * schedule naming it would otherwise fail, or find nothing, only once the pipeline runs). The
   * check needs the project's spider list; a project that lists none (or a key that may not list
   * them) leaves it to the pipeline.
   */
  public void checkSpiders(List<String> spiders, CommandSpec spec) {
    if (spiders.isEmpty()) {
      return;
    }
    List<String> known;
    try (ScrapinghubClient client = ScrapinghubClient.create(clientConfig.toBuilder()
        .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10))).build())) {
      known = client.getProject(project()).spiders().list().stream().map(j -> j.path("id").asText())
          .filter(n -> !n.isEmpty()).toList();
    } catch (ScrapinghubException e) {
      return;
    }
    if (known.isEmpty()) {
      return;
    }
    for (String spider : spiders) {
      if (!known.contains(spider)) {
        throw new ParameterException(spec.commandLine(), "--spider=" + spider + ": project " + project()
            + " has no spider " + spider + "; expected one of its spiders: " + String.join(", ", known));
      }
    }
  }

  public void checkAccess(List<JobKey> jobs) {
    ClientConfig quick = clientConfig.toBuilder()
        .retryPolicy(RetryPolicy.of(3, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(15)))
        .connectTimeout(Duration.ofSeconds(10)).build();
    try (ScrapinghubClient client = ScrapinghubClient.create(quick)) {
      if (jobs.isEmpty()) {
        client.getProject(project).jobs().count();
        return;
      }
      Map<Long, List<String>> byProject = new LinkedHashMap<>();
      for (JobKey k : jobs) {
        byProject.computeIfAbsent(k.project(), p -> new ArrayList<>()).add(k.toString());
      }
      for (Map.Entry<Long, List<String>> e : byProject.entrySet()) {
        var found = client.getProject(e.getKey()).jobs().summaries(e.getValue());
        for (String k : e.getValue()) {
          if (!found.containsKey(JobKey.parse(k))) {
            throw new RunFailure("job " + k + " was not found in project " + e.getKey() + " at "
                + clientConfig.storageEndpoint() + ": expected the key of an existing job (PROJECT/SPIDER/JOB)");
          }
        }
      }
    } catch (ScrapinghubException e) {
      throw new RunFailure("cannot use Scrapy Cloud at " + clientConfig.storageEndpoint() + ": "
          + ErrorText.oneLine(e.getMessage()), e);
    }
  }

  public ClientConfig clientConfig() {
    return clientConfig;
  }

  /** The same settings as the transforms take them. */
  public ScrapinghubConnection connection() {
    return ScrapinghubConnection.fromClientConfig(clientConfig);
  }

  /** The project, or null when the command names its jobs by key only. */
  public Long project() {
    return project;
  }

  /** The embedded emulator in demo mode, else null. */
  public ScrapyCloudEmulator emulator() {
    return emulator;
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
