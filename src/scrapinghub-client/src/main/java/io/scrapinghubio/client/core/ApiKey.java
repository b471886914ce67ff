package io.scrapinghubio.client.core;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * A Scrapy Cloud API key, kept out of every printable form.
 *
 * <p>{@link #toString()} and {@link #describe()} show only a short SHA-256 fingerprint and where the
 * key came from, so an error can say <em>which</em> key was refused (users often pass a Zyte API key
 * by mistake) without ever revealing it.
 *
 * <p>A key read from the environment ({@link #fromEnvironment()}) is serialised as "read
 * SH_APIKEY/SHUB_APIKEY on the worker", never as its value, so Beam pipelines can ship their
 * configuration to workers without embedding the secret in the job graph.
 */
public final class ApiKey implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Environment variables read, in order, as python-scrapinghub does. */
  public static final String[] ENV_VARS = {"SH_APIKEY", "SHUB_APIKEY"};

  /** Null when read from the environment. An explicit key is serialised: workers need it. */
  private final String value;
  private final boolean fromEnvironment;

  private ApiKey(String value, boolean fromEnvironment) {
    this.value = value;
    this.fromEnvironment = fromEnvironment;
  }

  /** A key given explicitly. */
  public static ApiKey of(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "API key is empty: pass your Scrapy Cloud API key (app.zyte.com > Settings > API key) "
              + "or set " + String.join(" or ", ENV_VARS));
    }
    if (!key.strip().equals(key) || key.contains(":")) {
      throw new IllegalArgumentException(
          "API key contains whitespace or ':'; expected the bare Scrapy Cloud API key");
    }
    return new ApiKey(key, false);
  }

  /** A key resolved from SH_APIKEY or SHUB_APIKEY wherever the code runs (e.g. on each worker). */
  public static ApiKey fromEnvironment() {
    return new ApiKey(null, true);
  }

  /** The explicit key if non-null, otherwise the environment. */
  public static ApiKey explicitOrEnvironment(String keyOrNull) {
    return keyOrNull == null ? fromEnvironment() : of(keyOrNull);
  }

  /** The secret itself. Only the auth interceptor should call this. */
  public String reveal() {
    if (!fromEnvironment) {
      return value;
    }
    Map<String, String> env = System.getenv();
    for (String name : ENV_VARS) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    throw new IllegalStateException(
        "No Scrapy Cloud API key: set " + String.join(" or ", ENV_VARS)
            + " (on every worker when running a pipeline) or pass the key explicitly");
  }

  /** e.g. {@code key sha256:1a2b3c4d (32 chars, from SH_APIKEY)}; never the key itself. */
  public String describe() {
    String source = "given explicitly";
    if (fromEnvironment) {
      source = "from the environment";
      for (String name : ENV_VARS) {
        String v = System.getenv(name);
        if (v != null && !v.isBlank()) {
          source = "from " + name;
          break;
        }
      }
    }
    String secret;
    try {
      secret = reveal();
    } catch (IllegalStateException e) {
      return "no key (" + String.join("/", ENV_VARS) + " not set)";
    }
    return "key " + fingerprint(secret) + " (" + secret.length() + " chars, " + source + ")";
  }

  public static String fingerprint(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("sha256:");
      for (int i = 0; i < 4; i++) {
        sb.append(String.format("%02x", d[i]));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return fromEnvironment ? "ApiKey(from environment)" : "ApiKey(" + fingerprintOrNone() + ")";
  }

  private String fingerprintOrNone() {
    return value == null ? "none" : fingerprint(value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ApiKey)) {
      return false;
    }
    ApiKey other = (ApiKey) o;
    return fromEnvironment == other.fromEnvironment
        && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fromEnvironment, value);
  }
}
