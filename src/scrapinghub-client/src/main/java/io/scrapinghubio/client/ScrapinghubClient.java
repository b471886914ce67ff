package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import io.scrapinghubio.client.core.ClientConfig;

import io.scrapinghubio.client.metrics.ClientStats;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.metrics.RequestListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Entry point of the Java client for the Scrapy Cloud API, mirroring python-scrapinghub's object
 * model: {@code client.projects()}, {@code project.jobs().run(...)}, {@code job.items().iter()}...
 *
 * <pre>{@code
 * try (ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(key).build())) {
 *   Job job = client.getJob("2222222/1/287");
 *   for (JobRecord item : job.items().iter()) { ... }
 * }
 * }</pre>
 *
 * <p>Thread-safe. Owns a small pool of daemon threads that fetch pages ahead of readers; close the
 * client to release it.
 */
public final class ScrapinghubClient implements AutoCloseable {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final ClientConfig config;
  private final ClientStats stats = new ClientStats();
  private final HttpTransport transport;
  private final ExecutorService ioExecutor;

  private ScrapinghubClient(ClientConfig config, List<RequestListener> listeners) {
    this.config = config;
    List<RequestListener> all = new ArrayList<>();
    all.add(stats);
    all.addAll(listeners);
    this.transport = new HttpTransport(config, all);
    int id = CLIENTS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory tf = r -> {
      Thread t = new Thread(r, "scrapinghub-io-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.ioExecutor = Executors.newCachedThreadPool(tf);
  }

  /**
   * A client for this configuration.
   *
   * @param config endpoints, key, timeouts and retries
   * @param listeners told about every request, e.g. to publish metrics
   * @return the client; close it when done
   */
  public static ScrapinghubClient create(ClientConfig config, RequestListener... listeners) {
    return new ScrapinghubClient(config, Arrays.asList(listeners));
  }

  /**
   * A client with default endpoints and the key from {@code SH_APIKEY} / {@code SHUB_APIKEY}.
   *
   * @return the client; close it when done
   */
  public static ScrapinghubClient fromEnvironment() {
    return create(ClientConfig.builder().build());
  }

  /**
   * The client's configuration.
   *
   * @return the configuration
   */
  public ClientConfig config() {
    return config;
  }

  /**
   * Traffic totals of this client (requests, retries, bytes, records, latency).
   *
   * @return the totals
   */
  public ClientStats stats() {
    return stats;
  }

  /**
   * The projects the key can access.
   *
   * @return the projects
   */
  public Projects projects() {
    return new Projects(this);
  }

  /**
   * A handle on a project; no request is made.
   *
   * @param projectId the project's id
   * @return the project
   */
  public Project getProject(long projectId) {
    return new Project(this, projectId);
  }

  /**
   * A handle on a job; no request is made.
   *
   * @param jobKey {@code <project>/<spider>/<job>}
   * @return the job
   */
  public Job getJob(String jobKey) {
    return getJob(JobKey.parse(jobKey));
  }

  /**
   * A handle on a job; no request is made.
   *
   * @param key the job's key
   * @return the job
   */
  public Job getJob(JobKey key) {
    return new Job(this, key);
  }

  /**
   * The HTTP layer. Not API: URLs, request bodies, retries and error mapping belong to the client,
   * and callers (the Beam transforms among them) reach the service through the resource objects.
   * Package-private because only the classes of this package (Project, Job, Jobs...) call it; they
   * hand the transport to the resource classes of the subpackages through their constructors.
   */
  HttpTransport transport() {
    if (closed) {
      throw new IllegalStateException("this ScrapinghubClient was closed: create a new one (" + config + ")");
    }
    return transport;
  }

  private volatile boolean closed;

  /**
   * Threads that fetch pages ahead of readers.
   *
   * @return the executor
   */
  public ExecutorService ioExecutor() {
    return ioExecutor;
  }

  @Override
  public void close() {
    closed = true;
    ioExecutor.shutdownNow();
  }

  @Override
  public String toString() {
    return "ScrapinghubClient{" + config + "}";
  }
}
