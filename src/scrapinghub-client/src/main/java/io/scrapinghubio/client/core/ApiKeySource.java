package io.scrapinghubio.client.core;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a Scrapy Cloud API key is fetched from when a client needs it, for keys that must not
 * travel with a serialised configuration: a secret manager, a vault agent, a cloud KMS... Only the
 * source is serialised; {@link #resolve()} runs where the client runs (on each Beam worker), once
 * per client.
 *
 * <pre>{@code
 * record SecretManagerKey(String secretName) implements ApiKeySource {
 *   public String resolve() throws IOException {
 *     return MySecrets.read(secretName);       // runs on the worker
 *   }
 *   public String description() {
 *     return "secret " + secretName;           // shown in logs and errors instead of the key
 *   }
 * }
 * ScrapinghubIO.connection().withApiKeySource(new SecretManagerKey("scrapy-cloud-key"));
 * }</pre>
 *
 * <p>Implement {@code equals} and {@code hashCode} (a record does): Beam transforms whose
 * connections are equal share one client per worker, and a source without value equality (a
 * lambda, for instance) makes every deserialised copy a different connection.
 *
 * <p>The built-in sources are {@link ApiKey#fromEnvironment()}, {@link ApiKey#fromEnvironment(String)}
 * and {@link ApiKey#fromFile(String)}.
 */
@FunctionalInterface
public interface ApiKeySource extends Serializable {

  /**
   * The key, fetched now. Leading and trailing whitespace is ignored. Throw (or return null or
   * blank) when there is none; never put the key into an exception message.
   *
   * @return the key, or null or blank when there is none
   * @throws IOException the source could not be read
   */
  String resolve() throws IOException;

  /**
   * Where the key comes from, for logs, display data and error messages: never the key. The
   * default names the implementing class.
   *
   * @return a description, never the key
   */
  default String description() {
    return "supplied by " + getClass().getName();
  }
}
