package io.scrapinghubio.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Entry point of the emulator's container image ({@code src/scrapy-cloud-emulator/docker/Dockerfile}):
 * {@link EmulatorMain}'s options from environment variables, the way containers are configured
 * (compose files, Kubernetes, Testcontainers' {@code withEnv}), followed by the container's
 * arguments, which win because {@link EmulatorMain} keeps the last value of an option.
 *
 * <pre>
 * docker run --network host -e EMULATOR_PORT=8080 -e EMULATOR_APIKEY=KEY -e EMULATOR_DEMO_JOBS=20 IMAGE
 * docker run --network host IMAGE --port 8080 --apikey KEY --demo-jobs 20      (the same)
 * </pre>
 *
 * A variable that starts with {@code EMULATOR_} but is not one of {@link #VARIABLES} stops the
 * container with an error: a misspelt setting must not leave the emulator running with a default.
 */
public final class EmulatorContainerMain {
  private EmulatorContainerMain() {}

  /** Prefix of the variables read here. */
  static final String PREFIX = "EMULATOR_";

  /** Variable → the option it stands for. {@code EMULATOR_GZIP} is the only switch (false = {@code --no-gzip}). */
  static final Map<String, String> VARIABLES = variables();

  private static Map<String, String> variables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("EMULATOR_PORT", "--port");
    m.put("EMULATOR_HOST", "--host");
    m.put("EMULATOR_APIKEY", "--apikey"); // comma-separated: several accepted keys
    m.put("EMULATOR_APIKEY_FILE", "--apikey-file"); // a mounted secret: one accepted key per line
    m.put("EMULATOR_PROJECT", "--project"); // comma-separated: projects that exist besides the demo's
    m.put("EMULATOR_SPIDER", "--spider"); // comma-separated PROJECT/NAME: deployed spiders
    m.put("EMULATOR_DEMO_JOBS", "--demo-jobs");
    m.put("EMULATOR_DEMO_ITEMS_PER_JOB", "--demo-items-per-job");
    m.put("EMULATOR_DEMO_PROJECT", "--demo-project");
    m.put("EMULATOR_CRAWL_SPIDER", "--crawl-spider"); // comma-separated: spiders whose jobs crawl
    m.put("EMULATOR_CRAWL_PENDING_MS", "--crawl-pending-ms");
    m.put("EMULATOR_CRAWL_RUNNING_MS", "--crawl-running-ms");
    m.put("EMULATOR_CRAWL_ITEMS_PER_JOB", "--crawl-items-per-job");
    m.put("EMULATOR_CRAWL_ITEMS_PER_SECOND", "--crawl-items-per-second");
    m.put("EMULATOR_CRAWL_ITEMS_PER_PAGE", "--crawl-items-per-page");
    m.put("EMULATOR_CRAWL_STATS_INTERVAL_MS", "--crawl-stats-interval-ms");
    m.put("EMULATOR_CRAWL_UNITS", "--crawl-units");
    m.put("EMULATOR_CRAWL_TICK_MS", "--crawl-tick-ms");
    m.put("EMULATOR_SEED", "--seed");
    m.put("EMULATOR_LATENCY_MS", "--latency-ms");
    m.put("EMULATOR_LATENCY_JITTER_MS", "--latency-jitter-ms");
    m.put("EMULATOR_BANDWIDTH_MBPS", "--bandwidth-mbps"); // MB/s per response stream, e.g. 0.5
    m.put("EMULATOR_FAULT_RATE", "--fault-rate");
    m.put("EMULATOR_FAULT_SEED", "--fault-seed");
    m.put("EMULATOR_GZIP", "--no-gzip");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Runs the emulator as the container's process, configured by the image's {@code EMULATOR_*}
   * variables (then the arguments), until the container stops.
   *
   * @param args arguments added to those the variables give
   * @throws InterruptedException never in practice: the process serves until it is killed
   */
  public static void main(String[] args) throws InterruptedException {
    List<String> all;
    try {
      all = arguments(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmulatorMain.main(all.toArray(new String[0]));
  }

  /**
   * The options the variables stand for, in {@link #VARIABLES} order, then {@code args}. Empty
   * variables count as unset.
   *
   * @throws IllegalArgumentException for an unknown {@code EMULATOR_} variable or a bad
   *     {@code EMULATOR_GZIP}; values are checked by {@link EmulatorMain}, which names the option
   */
  static List<String> arguments(Map<String, String> env, String[] args) {
    TreeSet<String> unknown = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX) && !VARIABLES.containsKey(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown variable(s) " + unknown + "; the emulator reads " + VARIABLES.keySet());
    }
    List<String> out = new ArrayList<>();
    VARIABLES.forEach((name, option) -> {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return;
      }
      value = value.strip();
      switch (name) {
        case "EMULATOR_GZIP":
          if (value.equalsIgnoreCase("false")) {
            out.add(option);
          } else if (!value.equalsIgnoreCase("true")) {
            throw new IllegalArgumentException("EMULATOR_GZIP must be true or false, not " + value);
          }
          break;
        case "EMULATOR_APIKEY", "EMULATOR_PROJECT", "EMULATOR_SPIDER", "EMULATOR_CRAWL_SPIDER":
          for (String key : value.split(",")) {
            if (!key.isBlank()) {
              out.add(option);
              out.add(key.strip());
            }
          }
          break;
        default:
          out.add(option);
          out.add(value);
      }
    });
    out.addAll(Arrays.asList(args));
    return out;
  }
}
