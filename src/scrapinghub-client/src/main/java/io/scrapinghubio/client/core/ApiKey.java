package io.scrapinghubio.client.core;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * A Scrapy Cloud API key, or where to find it, kept out of every printable form.
 *
 * <p><b>Where the key comes from.</b> Prefer a source that is resolved where the client runs, so
 * that a serialised configuration (a Beam job graph, a pipeline proto, a runner's job store)
 * carries only the instruction, never the secret:
 * <ul>
 *   <li>{@link #fromEnvironment()}: {@code SH_APIKEY}, else {@code SHUB_APIKEY} (the default, as
 *       in python-scrapinghub); {@link #fromEnvironment(String)}: a variable of your choice;
 *   <li>{@link #fromFile(String)}: a file such as a mounted secret;
 *   <li>{@link #from(ApiKeySource)}: your own source, e.g. a secret manager.
 * </ul>
 * {@link #of(String)} holds the key itself, for tests and local tools: it is serialised with the
 * configuration (see its documentation).
 *
 * <p>{@link #toString()} and {@link #describe()} show only a short SHA-256 fingerprint and where the
 * key came from, so an error can say <em>which</em> key was refused (users often pass a Zyte API key
 * by mistake) without ever revealing it. A key read from a source is checked the same way as an
 * explicit one (not blank, no whitespace or {@code :} inside); its errors name the source, never
 * what it returned.
 */
public final class ApiKey implements Serializable {
  private static final long serialVersionUID = 2L;
  /** Environment variables read, in order, as python-scrapinghub does. */
  public static final String[] ENV_VARS = {"SH_APIKEY", "SHUB_APIKEY"};

  /** The key itself when given explicitly, else null: it is serialised, since workers need it. */
  private final String value;
  /** Where to fetch the key when not given explicitly, else null: only this is serialised. */
  private final ApiKeySource source;

  private ApiKey(String value, ApiKeySource source) {
    this.value = value;
    this.source = source;
  }

  /**
   * The key itself. <b>It travels with every serialised copy of the configuration</b>: a Beam
   * transform using it holds it in plain text, so whoever can read the job graph (a Dataflow or
   * Flink job, its staging files, a runner's UI or job store) can read the key. Use it for tests
   * and local tools; on shared runners use {@link #fromFile(String)} or {@link #fromEnvironment()}.
   *
   * @param key the key, non-blank
   * @return the key
   */
  public static ApiKey of(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException(
          "API key is empty: pass your Scrapy Cloud API key (app.zyte.com > Settings > API key) "
              + "or set " + String.join(" or ", ENV_VARS));
    }
    checkShape(key, "API key");
    return new ApiKey(key, null);
  }

  /**
   * The key in {@code SH_APIKEY}, else {@code SHUB_APIKEY}, read wherever the client runs (on each
   * worker).
   *
   * @return a key read from the environment
   */
  public static ApiKey fromEnvironment() {
    return new ApiKey(null, new KeyFromEnvironment(List.of(ENV_VARS)));
  }

  /**
   * The key in the environment variable {@code variable}, read wherever the client runs (on each
   * worker).
   *
   * @param variable the variable's name
   * @return a key read from the environment
   */
  public static ApiKey fromEnvironment(String variable) {
    return new ApiKey(null, new KeyFromEnvironment(List.of(Objects.requireNonNullElse(variable, ""))));
  }

  /**
   * The key held by the file at {@code path} (surrounding whitespace ignored), read wherever the
   * client runs, once per client: on a Beam worker, a file on the worker, such as a mounted
   * secret. A relative path is resolved against that process's working directory, so prefer an
   * absolute one. A missing or empty file fails with a message naming the path.
   *
   * @param path the file's path where the client runs
   * @return a key read from the file
   */
  public static ApiKey fromFile(String path) {
    return new ApiKey(null, new KeyFromFile(path));
  }

  /**
   * The key fetched by {@code source} wherever the client runs, once per client; only the source is
   * serialised.
   *
   * @param source where the key comes from
   * @return a key fetched by the source
   */
  public static ApiKey from(ApiKeySource source) {
    if (source == null) {
      throw new IllegalArgumentException("API key source must not be null");
    }
    return new ApiKey(null, source);
  }

  /**
   * The explicit key if non-null, otherwise the environment.
   *
   * @param keyOrNull the key, or null
   * @return the key, or one read from the environment
   */
  public static ApiKey explicitOrEnvironment(String keyOrNull) {
    return keyOrNull == null ? fromEnvironment() : of(keyOrNull);
  }

  /**
   * Whether this holds the key itself, which is then part of every serialised copy.
   *
   * @return true for an explicit key
   */
  public boolean isExplicit() {
    return source == null;
  }

  /**
   * Where the key comes from, e.g. {@code read from SH_APIKEY or SHUB_APIKEY}, {@code read from
   * file /run/secrets/shub}, {@code given explicitly}; never the key.
   *
   * @return a description of the source
   */
  public String source() {
    return isExplicit() ? "given explicitly" : source.description();
  }

  /**
   * The secret itself, fetched from its source now when not given explicitly. Only the auth
   * interceptor should call this.
   *
   * @return the key
   * @throws IllegalStateException naming the source when it has no usable key
   */
  public String reveal() {
    if (isExplicit()) {
      return value;
    }
    String key;
    try {
      key = source.resolve();
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalStateException && isBuiltIn()) {
        throw (IllegalStateException) e; // already names the variable or file, and only that
      }
      throw new IllegalStateException("No Scrapy Cloud API key: the key source (" + source.description() + ") failed", e);
    }
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("No Scrapy Cloud API key: the key source (" + source.description() + ") returned none");
    }
    key = key.strip();
    try {
      checkShape(key, "The API key " + source.description());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage());
    }
    return key;
  }

  private boolean isBuiltIn() {
    return source instanceof KeyFromEnvironment || source instanceof KeyFromFile;
  }

  private static void checkShape(String key, String what) {
    if (!key.strip().equals(key) || key.chars().anyMatch(Character::isWhitespace) || key.contains(":")) {
      throw new IllegalArgumentException(
          what + " contains whitespace or ':'; expected the bare Scrapy Cloud API key");
    }
  }

  /**
   * e.g. {@code key sha256:1a2b3c4d (32 chars, read from SH_APIKEY)}; never the key itself.
   *
   * @return a description safe to log
   */
  public String describe() {
    String secret;
    try {
      secret = reveal();
    } catch (IllegalStateException e) {
      return "no usable key (" + source() + ")";
    }
    String from = source();
    if (source instanceof KeyFromEnvironment) {
      String inUse = ((KeyFromEnvironment) source).variableInUse();
      from = inUse == null ? from : "read from " + inUse;
    }
    return "key " + fingerprint(secret) + " (" + secret.length() + " chars, " + from + ")";
  }

  /**
   * A short fingerprint of a key, for messages that must tell keys apart without showing them.
   *
   * @param secret the key
   * @return {@code sha256:} and the first 8 hex digits of its SHA-256
   */
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

  /** The fingerprint of an explicit key, else where the key will be read; never the key. */
  @Override
  public String toString() {
    return isExplicit() ? "ApiKey(" + fingerprint(value) + ")" : "ApiKey(" + source() + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ApiKey)) {
      return false;
    }
    ApiKey other = (ApiKey) o;
    return Objects.equals(value, other.value) && Objects.equals(source, other.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, source);
  }
}
