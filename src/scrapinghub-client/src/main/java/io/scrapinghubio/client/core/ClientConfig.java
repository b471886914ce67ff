package io.scrapinghubio.client.core;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to build a {@link io.scrapinghubio.client.ScrapinghubClient}, immutable and
 * {@link Serializable} so a Beam pipeline can ship it to workers. By default the API key is read
 * from {@code SH_APIKEY} / {@code SHUB_APIKEY} where the client runs;
 * {@link Builder#apiKey(ApiKey)} takes a file, another variable or a source of your own, all
 * resolved there too. Only a key given explicitly
 * ({@link Builder#apiKey(String)}) travels inside the serialised form (see {@link ApiKey}).
 *
 * <p>Defaults follow the official client: app API {@code https://app.zyte.com/api/}, storage API
 * {@code https://storage.scrapinghub.com/}, overridable by constructor or by {@code SHUB_APIURL} /
 * {@code SHUB_STORAGE}. Both endpoints are normalised to end in {@code /}.
 */
public final class ClientConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Scrapy Cloud's app API. */
  public static final String DEFAULT_DASH_ENDPOINT = "https://app.zyte.com/api/";
  /** Scrapy Cloud's storage API. */
  public static final String DEFAULT_STORAGE_ENDPOINT = "https://storage.scrapinghub.com/";
  /** The {@code User-Agent} sent unless {@link Builder#userAgent} says otherwise. */
  public static final String DEFAULT_USER_AGENT = "scrapinghub-io-java/0.1";

  /** See {@link #apiKey()}. */
  private final ApiKey apiKey;
  /** See {@link #dashEndpoint()}. */
  private final String dashEndpoint;
  /** See {@link #storageEndpoint()}. */
  private final String storageEndpoint;
  /** See {@link #connectTimeout()}. */
  private final Duration connectTimeout;
  /** See {@link #readTimeout()}. */
  private final Duration readTimeout;
  /** See {@link #retryPolicy()}. */
  private final RetryPolicy retryPolicy;
  /** See {@link #userAgent()}. */
  private final String userAgent;
  /** See {@link #gzip()}. */
  private final boolean gzip;
  /** See {@link #readFormat()}. */
  private final ReadFormat readFormat;

  private ClientConfig(Builder b) {
    this.apiKey = b.apiKey;
    this.dashEndpoint = b.dashEndpoint;
    this.storageEndpoint = b.storageEndpoint;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.retryPolicy = b.retryPolicy;
    this.userAgent = b.userAgent;
    this.gzip = b.gzip;
    this.readFormat = b.readFormat;
  }

  /**
   * A builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's settings, to change some.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.apiKey = apiKey;
    b.dashEndpoint = dashEndpoint;
    b.storageEndpoint = storageEndpoint;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.retryPolicy = retryPolicy;
    b.userAgent = userAgent;
    b.gzip = gzip;
    b.readFormat = readFormat;
    return b;
  }

  /**
   * Where the API key comes from.
   *
   * @return the key or its source
   */
  public ApiKey apiKey() {
    return apiKey;
  }

  /**
   * The app (dash) API base.
   *
   * @return a URL ending in {@code /}
   */
  public String dashEndpoint() {
    return dashEndpoint;
  }

  /**
   * The storage API base.
   *
   * @return a URL ending in {@code /}
   */
  public String storageEndpoint() {
    return storageEndpoint;
  }

  /**
   * Time to open a connection.
   *
   * @return the timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Time to wait for data on an open connection.
   *
   * @return the timeout
   */
  public Duration readTimeout() {
    return readTimeout;
  }

  /**
   * How failed calls are retried.
   *
   * @return the policy
   */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /**
   * The {@code User-Agent} header.
   *
   * @return the header's value
   */
  public String userAgent() {
    return userAgent;
  }

  /**
   * Whether gzip-compressed responses are asked for.
   *
   * @return true to ask
   */
  public boolean gzip() {
    return gzip;
  }

  /**
   * Format for reading items, logs, samples and single collection records (default JSON lines).
   *
   * @return the format
   */
  public ReadFormat readFormat() {
    return readFormat;
  }

  /**
   * Warns once per JVM when an explicit key for a real service is serialised (see
   * {@link ExplicitKeyWarning}).
   *
   * @param out the stream
   * @throws java.io.IOException the stream failed
   */
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    ExplicitKeyWarning.onSerialise(this);
    out.defaultWriteObject();
  }

  /** The key is shown only as a fingerprint, or as where it is read (see {@link ApiKey#toString()}). */
  @Override
  public String toString() {
    return "ClientConfig{dash=" + dashEndpoint + ", storage=" + storageEndpoint + ", apiKey=" + apiKey
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", retry="
        + retryPolicy + ", userAgent=" + userAgent + ", gzip=" + gzip + ", readFormat=" + readFormat + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ClientConfig)) {
      return false;
    }
    ClientConfig c = (ClientConfig) o;
    return apiKey.equals(c.apiKey) && dashEndpoint.equals(c.dashEndpoint)
        && storageEndpoint.equals(c.storageEndpoint) && connectTimeout.equals(c.connectTimeout)
        && readTimeout.equals(c.readTimeout) && retryPolicy.equals(c.retryPolicy)
        && userAgent.equals(c.userAgent) && gzip == c.gzip && readFormat == c.readFormat;
  }

  @Override
  public int hashCode() {
    return Objects.hash(apiKey, dashEndpoint, storageEndpoint, connectTimeout, readTimeout, retryPolicy, userAgent, gzip, readFormat);
  }

  /** Builder; every setter validates at once and names the bad value. */
  public static final class Builder {
    private ApiKey apiKey = ApiKey.fromEnvironment();
    private String dashEndpoint = envOr("SHUB_APIURL", DEFAULT_DASH_ENDPOINT);
    private String storageEndpoint = envOr("SHUB_STORAGE", DEFAULT_STORAGE_ENDPOINT);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private String userAgent = DEFAULT_USER_AGENT;
    private boolean gzip = true;
    private ReadFormat readFormat = ReadFormat.JSON_LINES;

    private Builder() {}

    private static String envOr(String name, String fallback) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? fallback : normaliseEndpoint(name, v);
    }

    /**
     * The key itself: <b>it travels in plain text in every serialised copy of this configuration</b>
     * (a Beam job graph, for one), and a WARN is logged once when that happens for a non-loopback
     * endpoint. For tests and local tools; elsewhere use {@code apiKey(ApiKey.fromFile(path))} or the
     * default, {@code SH_APIKEY} / {@code SHUB_APIKEY} read where the client runs.
     *
     * @param key the key, non-blank
     * @return this builder
     */
    public Builder apiKey(String key) {
      this.apiKey = ApiKey.of(key);
      return this;
    }

    /**
     * Where the key comes from: {@link ApiKey#fromFile}, {@link ApiKey#fromEnvironment},
     * {@link ApiKey#from}...
     *
     * @param key the key or its source
     * @return this builder
     */
    public Builder apiKey(ApiKey key) {
      this.apiKey = Objects.requireNonNull(key, "apiKey");
      return this;
    }

    /**
     * The app (dash) API base, e.g. {@code https://app.zyte.com/api/}.
     *
     * @param url an absolute http(s) URL; a missing trailing {@code /} is added
     * @return this builder
     */
    public Builder dashEndpoint(String url) {
      this.dashEndpoint = normaliseEndpoint("dashEndpoint", url);
      return this;
    }

    /**
     * The storage API base, e.g. {@code https://storage.scrapinghub.com/}.
     *
     * @param url an absolute http(s) URL; a missing trailing {@code /} is added
     * @return this builder
     */
    public Builder storageEndpoint(String url) {
      this.storageEndpoint = normaliseEndpoint("storageEndpoint", url);
      return this;
    }

    /**
     * Time to open a connection (default 10 s).
     *
     * @param d a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("connectTimeout", d);
      return this;
    }

    /**
     * Time to wait for data on an open connection, and to send a request body (default 60 s).
     *
     * @param d a positive duration
     * @return this builder
     */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive("readTimeout", d);
      return this;
    }

    /**
     * How failed calls are retried (default {@link RetryPolicy#defaults()}).
     *
     * @param p the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
      return this;
    }

    /**
     * The {@code User-Agent} header (default {@value #DEFAULT_USER_AGENT}).
     *
     * @param ua a non-blank value
     * @return this builder
     */
    public Builder userAgent(String ua) {
      if (ua == null || ua.isBlank()) {
        throw new IllegalArgumentException("userAgent must be non-empty, but was '" + ua + "'");
      }
      this.userAgent = ua;
      return this;
    }

    /**
     * Ask for gzip-compressed responses (default on).
     *
     * @param on false to ask for uncompressed responses
     * @return this builder
     */
    public Builder gzip(boolean on) {
      this.gzip = on;
      return this;
    }

    /**
     * Read items, logs, samples and single collection records as msgpack or JSON lines (default).
     *
     * @param f the format
     * @return this builder
     */
    public Builder readFormat(ReadFormat f) {
      this.readFormat = Objects.requireNonNull(f, "readFormat");
      return this;
    }

    /**
     * The configuration with these settings.
     *
     * @return a new configuration
     */
    public ClientConfig build() {
      return new ClientConfig(this);
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, but was " + d);
      }
      return d;
    }

    static String normaliseEndpoint(String name, String url) {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException(name + " must be an http(s) URL, but was '" + url + "'");
      }
      URI u;
      try {
        u = URI.create(url.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " is not a valid URL: '" + url + "'", e);
      }
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException(
            name + " must be an absolute http(s) URL such as https://storage.scrapinghub.com/, but was '" + url + "'");
      }
      if (u.getUserInfo() != null || u.getQuery() != null) {
        throw new IllegalArgumentException(
            name + " must not carry credentials or a query (the key is sent as HTTP Basic auth): "
                + u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/...");
      }
      String s = u.toString();
      return s.endsWith("/") ? s : s + "/";
    }
  }
}
