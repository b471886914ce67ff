package io.scrapinghubio.beam.connection;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ApiKeySource;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.core.RetryPolicy;
import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.display.HasDisplayData;

/**
 * How every ScrapinghubIO transform reaches Scrapy Cloud: API key, the two endpoints, timeouts and
 * retry policy. One immutable value given to any transform with {@code withConnection(...)}, in the
 * manner of JdbcIO's {@code DataSourceConfiguration}:
 *
 * <pre>{@code
 * ScrapinghubConnection conn = ScrapinghubIO.connection()     // key: SH_APIKEY / SHUB_APIKEY on each worker
 *     .withRetryPolicy(RetryPolicy.defaults().withMaxAttempts(12));
 * p.apply(ScrapinghubIO.read().withConnection(conn).withProject(2222222));
 * keys.apply(ScrapinghubIO.updateJobTags().withConnection(conn).withAdd("consumed"));
 * }</pre>
 *
 * <p>Every {@code withX()} returns a new value and rejects a bad setting at once, naming it (an API
 * key is never echoed). DoFns with equal connections share one client per worker JVM (see
 * {@link SharedClient}).
 *
 * <p><b>The API key.</b> Give the workers the key, not the pipeline: with
 * {@link #withApiKeyFromEnvironment()} (the default: {@code SH_APIKEY}, else {@code SHUB_APIKEY}),
 * {@link #withApiKeyFromEnvironment(String)}, {@link #withApiKeyFromFile(String)} (a mounted
 * secret) or {@link #withApiKeySource(ApiKeySource)} (a secret manager), the serialised transforms
 * and the pipeline proto hold only where to read the key, and each worker reads it when its client
 * starts. A key given with {@link #withApiKey(String)} is kept out of {@link #toString()}, display
 * data, logs and error messages (they show at most a short SHA-256 fingerprint), but it is part of
 * this value's Java serialised form, hence of the pipeline's job graph, in plain text: use it for
 * tests against an emulator only.
 *
 * <p>This is a thin, serialisable view of the client's {@link ClientConfig}; the config is held
 * whole so that a setting added to the client survives {@link #fromClientConfig} and
 * {@link #clientConfig()} unchanged.
 */
@AutoValue
public abstract class ScrapinghubConnection implements Serializable, HasDisplayData {
  private static final long serialVersionUID = 1L;

  /**
   * The client settings this connection stands for.
   *
   * @return the client configuration
   */
  public abstract ClientConfig clientConfig();

  /**
   * Default endpoints ({@code SHUB_APIURL} / {@code SHUB_STORAGE} if set where the pipeline is
   * built), default timeouts and retry policy, and the API key read from {@code SH_APIKEY} /
   * {@code SHUB_APIKEY} on each worker.
   *
   * @return a connection with the defaults
   */
  public static ScrapinghubConnection create() {
    return fromClientConfig(ClientConfig.builder().build());
  }

  /**
   * Every setting of an existing client configuration (endpoints, key, timeouts, retries, gzip...).
   *
   * @param clientConfig a client configuration, not null
   * @return a connection with its settings
   */
  public static ScrapinghubConnection fromClientConfig(ClientConfig clientConfig) {
    if (clientConfig == null) {
      throw new IllegalArgumentException(
          "clientConfig must not be null; build one with ClientConfig.builder() or start from ScrapinghubConnection.create()");
    }
    return new AutoValue_ScrapinghubConnection(clientConfig);
  }

  /**
   * An explicit Scrapy Cloud API key (app.zyte.com, Settings, API key). <b>Risk:</b> it travels in
   * plain text inside every serialised transform and the pipeline proto, so anyone who can read
   * the job graph (runner UI, job store, staging files) can read the key; a WARN is logged once
   * per JVM when that happens for a non-loopback endpoint. For tests against an emulator; on real
   * runs use {@link #withApiKeyFromFile(String)} or {@link #withApiKeyFromEnvironment()}.
   *
   * @param apiKey the key itself
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withApiKey(String apiKey) {
    return with(clientConfig().toBuilder().apiKey(ApiKey.of(apiKey)));
  }

  /**
   * Read the key from {@code SH_APIKEY}, else {@code SHUB_APIKEY}, on each worker (the default).
   *
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withApiKeyFromEnvironment() {
    return with(clientConfig().toBuilder().apiKey(ApiKey.fromEnvironment()));
  }

  /**
   * Read the key from the environment variable {@code variable} on each worker.
   *
   * @param variable the variable's name
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withApiKeyFromEnvironment(String variable) {
    return with(clientConfig().toBuilder().apiKey(ApiKey.fromEnvironment(variable)));
  }

  /**
   * Read the key from the file at {@code path} on each worker, e.g. a mounted secret such as
   * {@code /run/secrets/scrapy-cloud-api-key}; surrounding whitespace is ignored. The file must
   * exist on the workers (and need not exist where the pipeline is built); a missing or empty file
   * fails the worker's first request with a message naming the path. Prefer an absolute path: a
   * relative one is resolved against each worker's working directory.
   *
   * @param path the file's path on the workers
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withApiKeyFromFile(String path) {
    return with(clientConfig().toBuilder().apiKey(ApiKey.fromFile(path)));
  }

  /**
   * Fetch the key with {@code source} on each worker, once per client (e.g. from a secret
   * manager). Only the source is serialised; give it value equality (a record) so that equal
   * connections share a client (see {@link ApiKeySource}).
   *
   * @param source where each worker gets the key
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withApiKeySource(ApiKeySource source) {
    return with(clientConfig().toBuilder().apiKey(ApiKey.from(source)));
  }

  /**
   * Storage API base URL (default {@code https://storage.scrapinghub.com/}), e.g. an emulator's
   * {@code http://127.0.0.1:8080/}.
   *
   * @param url an absolute http(s) URL; a missing trailing {@code /} is added
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withStorageEndpoint(String url) {
    return with(clientConfig().toBuilder().storageEndpoint(url));
  }

  /**
   * App API base URL (default {@code https://app.zyte.com/api/}).
   *
   * @param url an absolute http(s) URL; a missing trailing {@code /} is added
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withDashEndpoint(String url) {
    return with(clientConfig().toBuilder().dashEndpoint(url));
  }

  /**
   * How failed calls are retried (default: 8 attempts, 1 s doubling to 60 s, 10 minutes in all;
   * 408/429/5xx/IO).
   *
   * @param policy the retry policy
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withRetryPolicy(RetryPolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException(
          "retryPolicy must not be null; use RetryPolicy.defaults(), RetryPolicy.none() or RetryPolicy.of(...)");
    }
    return with(clientConfig().toBuilder().retryPolicy(policy));
  }

  /**
   * Time to open a connection (default 10 s).
   *
   * @param timeout a positive duration
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withConnectTimeout(Duration timeout) {
    return with(clientConfig().toBuilder().connectTimeout(timeout));
  }

  /**
   * Time to wait for data on an open connection, and to send a request body (default 60 s).
   *
   * @param timeout a positive duration
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withReadTimeout(Duration timeout) {
    return with(clientConfig().toBuilder().readTimeout(timeout));
  }

  /**
   * The {@code User-Agent} header (default {@value ClientConfig#DEFAULT_USER_AGENT}).
   *
   * @param userAgent the header's value
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withUserAgent(String userAgent) {
    return with(clientConfig().toBuilder().userAgent(userAgent));
  }

  /**
   * Ask for gzip-compressed responses (default on; off helps on fast local links).
   *
   * @param gzip false to ask for uncompressed responses
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withGzip(boolean gzip) {
    return with(clientConfig().toBuilder().gzip(gzip));
  }

  /**
   * Wire format of the records read: JSON lines (default) or msgpack.
   *
   * @param format the wire format
   * @return a new connection with this setting
   */
  public ScrapinghubConnection withReadFormat(ReadFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("readFormat must not be null; expected JSON_LINES or MSGPACK");
    }
    return with(clientConfig().toBuilder().readFormat(format));
  }

  private static ScrapinghubConnection with(ClientConfig.Builder changed) {
    return new AutoValue_ScrapinghubConnection(changed.build());
  }

  /** Endpoints, where the key comes from, timeouts and retry policy; never the key, nor its fingerprint. */
  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    ClientConfig c = clientConfig();
    b.add(DisplayData.item("storageEndpoint", c.storageEndpoint()).withLabel("Storage API"));
    b.add(DisplayData.item("dashEndpoint", c.dashEndpoint()).withLabel("App API"));
    b.add(DisplayData.item("apiKeySource", keySource()).withLabel("API key"));
    b.add(DisplayData.item("retryPolicy", c.retryPolicy().toString()).withLabel("Retry policy"));
    b.add(DisplayData.item("connectTimeout", c.connectTimeout().toString()).withLabel("Connect timeout"));
    b.add(DisplayData.item("readTimeout", c.readTimeout().toString()).withLabel("Read timeout"));
  }

  /** Where the key comes from, never the key nor its fingerprint (display data is shown to anyone who sees the job). */
  private String keySource() {
    ApiKey key = clientConfig().apiKey();
    return key.isExplicit() ? "given explicitly (travels in the job graph)" : key.source() + " on each worker";
  }

  /** The settings, with the key shown as its source only. */
  @Override
  public String toString() {
    ClientConfig c = clientConfig();
    return "ScrapinghubConnection{storage=" + c.storageEndpoint() + ", dash=" + c.dashEndpoint() + ", apiKey "
        + keySource() + ", connectTimeout=" + c.connectTimeout() + ", readTimeout=" + c.readTimeout() + ", retry="
        + c.retryPolicy() + ", userAgent=" + c.userAgent() + ", gzip=" + c.gzip() + ", readFormat=" + c.readFormat() + "}";
  }
}
