package io.scrapinghubio.client.core;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WARN per JVM when a configuration holding an explicit API key for a real service is
 * serialised: that is the moment the key leaves the process in plain text (into a Beam job graph,
 * a pipeline proto, a runner's staging files), so the warning appears where the pipeline is
 * built, before it is submitted. Building such a configuration is harmless in itself (a local
 * client never serialises it), so that does not warn.
 *
 * <p>Once per JVM because runners serialise each transform many times. Not for loopback endpoints:
 * a key sent only to 127.0.0.1 or localhost is an emulator's test key.
 */
final class ExplicitKeyWarning {
  private static final System.Logger LOG = System.getLogger(ClientConfig.class.getName());
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private ExplicitKeyWarning() {}

  static void onSerialise(ClientConfig config) {
    if (!config.apiKey().isExplicit() || (isLoopback(config.storageEndpoint()) && isLoopback(config.dashEndpoint()))) {
      return;
    }
    if (WARNED.compareAndSet(false, true)) {
      LOG.log(System.Logger.Level.WARNING, () -> "A Scrapy Cloud API key given explicitly ("
          + ApiKey.fingerprint(config.apiKey().reveal()) + ") is being serialised, e.g. into a Beam job graph: "
          + "anyone who can read the job graph can read the key. Give the key as a file or an environment "
          + "variable read on each worker instead (ApiKey.fromFile / fromEnvironment, "
          + "ScrapinghubConnection.withApiKeyFromFile / withApiKeyFromEnvironment). Logged once per JVM.");
    }
  }

  static boolean isLoopback(String endpoint) {
    String host = URI.create(endpoint).getHost();
    if (host == null) {
      return false;
    }
    host = host.toLowerCase(java.util.Locale.ROOT);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  /** For tests: the next serialisation may warn again. */
  static void rearm() {
    WARNED.set(false);
  }
}
