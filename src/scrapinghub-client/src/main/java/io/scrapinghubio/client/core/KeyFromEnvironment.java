package io.scrapinghubio.client.core;

import java.util.List;
import java.util.Map;

/**
 * The key held by the first of some environment variables that is set and not blank, read where
 * the client runs: on a Beam worker, the worker's own environment.
 */
record KeyFromEnvironment(List<String> variables) implements ApiKeySource {
  private static final long serialVersionUID = 1L;

  KeyFromEnvironment {
    if (variables == null || variables.isEmpty()) {
      throw new IllegalArgumentException("name at least one environment variable to read the API key from");
    }
    for (String v : variables) {
      if (v == null || v.isBlank() || v.contains("=") || !v.strip().equals(v)) {
        throw new IllegalArgumentException("not an environment variable name: '" + v + "'");
      }
    }
    variables = List.copyOf(variables);
  }

  @Override
  public String resolve() {
    Map<String, String> env = System.getenv();
    for (String name : variables) {
      String v = env.get(name);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    throw new IllegalStateException("No Scrapy Cloud API key: " + String.join(" and ", variables)
        + (variables.size() == 1 ? " is" : " are") + " not set where the client runs"
        + " (on every worker when running a pipeline)");
  }

  /** The variable that holds the key now, or null. */
  String variableInUse() {
    for (String name : variables) {
      String v = System.getenv(name);
      if (v != null && !v.isBlank()) {
        return name;
      }
    }
    return null;
  }

  /** The same wherever it is asked (the launcher, a worker): display data must not depend on where it was built. */
  @Override
  public String description() {
    return "read from " + String.join(" or ", variables);
  }
}
