package io.scrapinghubio.client.core;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything needed to build a {@link ScrapinghubClient}, immutable and {@link Serializable} so a
 * Beam pipeline can ship it to workers. By default the API key is read from {@code SH_APIKEY} /
 * {@code SHUB_APIKEY} where the client runs; {@link Builder#apiKey(ApiKey)} takes a file, another
 * variable or a source of your own, all resolved there too. Only a key given explicitly
 * ({@link Builder#apiKey(String)}) travels inside the serialised form (see {@link ApiKey}).
 *
 * <p>Defaults follow the official client: app API {@code https://app.zyte.com/api/}, storage API
 * {@code https://storage.scrapinghub.com/}, overridable by constructor or by {@code SHUB_APIURL} /
 * {@code SHUB_STORAGE}. Both endpoints are normalised to end in {@code /}.
 */
public final class ClientConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String DEFAULT_DASH_ENDPOINT = "https://app.zyte.com/api/";
  public static final String DEFAULT_STORAGE_ENDPOINT = "https://storage.scrapinghub.com/";
  public static final String DEFAULT_USER_AGENT = "scrapinghub-io-java/0.1";

  private final ApiKey apiKey;
  private final String dashEndpoint;
  private final String storageEndpoint;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final RetryPolicy retryPolicy;
  private final String userAgent;
  private final boolean gzip;
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

  public static Builder builder() {
    return new Builder();
  }

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

  public ApiKey apiKey() {
    return apiKey;
  }

  public String dashEndpoint() {
    return dashEndpoint;
  }

  public String storageEndpoint() {
    return storageEndpoint;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public String userAgent() {
    return userAgent;
  }

  public boolean gzip() {
    return gzip;
  }

  /** Format for reading items, logs, samples and single collection records (default JSON lines). */
  public ReadFormat readFormat() {
    return readFormat;
  }

  /** Warns once per JVM when an explicit key for a real service is serialised (see {@link ExplicitKeyWarning}). */
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
     */
    public Builder apiKey(String key) {
      this.apiKey = ApiKey.of(key);
      return this;
    }

    /** Where the key comes from: {@link ApiKey#fromFile}, {@link ApiKey#fromEnvironment}, {@link ApiKey#from}... */
    public Builder apiKey(ApiKey key) {
      this.apiKey = Objects.requireNonNull(key, "apiKey");
      return this;
    }

    /** The app (dash) API base, e.g. {@code https://app.zyte.com/api/}. */
    public Builder dashEndpoint(String url) {
      this.dashEndpoint = normaliseEndpoint("dashEndpoint", url);
      return this;
    }

    /** The storage API base, e.g. {@code https://storage.scrapinghub.com/}. */
    public Builder storageEndpoint(String url) {
      this.storageEndpoint = normaliseEndpoint("storageEndpoint", url);
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive("connectTimeout", d);
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = positive("readTimeout", d);
      return this;
    }

    public Builder retryPolicy(RetryPolicy p) {
      this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
      return this;
    }

    public Builder userAgent(String ua) {
      if (ua == null || ua.isBlank()) {
        throw new IllegalArgumentException("userAgent must be non-empty, but was '" + ua + "'");
      }
      this.userAgent = ua;
      return this;
    }

    /** Ask for gzip-compressed responses (default on). */
    public Builder gzip(boolean on) {
      this.gzip = on;
      return this;
    }

    /** Read items, logs, samples and single collection records as msgpack or JSON lines (default). */
    public Builder readFormat(ReadFormat f) {
      this.readFormat = Objects.requireNonNull(f, "readFormat");
      return this;
    }

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
