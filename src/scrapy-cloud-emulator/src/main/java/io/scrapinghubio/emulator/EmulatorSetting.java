package io.scrapinghubio.emulator;

import io.scrapinghubio.emulator.demo.DemoData;
import java.util.Locale;

/**
 * The emulator's settings, described once: {@link EmulatorMain}'s options, the container's
 * {@code EMULATOR_*} variables ({@link EmulatorContainerMain}), the command-line tool's
 * {@code emulator} options and the Testcontainers class's {@code withX} methods all come from (or
 * are checked against) this table, so that their names, defaults and help cannot drift apart.
 *
 * <p>Each setting has a kebab-case {@link #settingName() name}; its option is {@code --NAME} (a
 * {@link #isSwitch() switch} is {@code --no-NAME}: it turns a default on off) and its variable is
 * {@code EMULATOR_NAME} in upper snake case. Values are checked where they are read ({@link EmulatorMain}), whose
 * messages name the option.
 */
public enum EmulatorSetting {
  /** TCP port. */
  PORT("port", "N", "8080", false, "TCP port (0 = any free port)"),
  /** Bind address. */
  HOST("host", "ADDR", "127.0.0.1", false, "bind address"),
  /** Accepted API keys. */
  APIKEY("apikey", "KEY", null, true,
      "accepted API key (default: accept any key); shows in ps: test keys only"),
  /** Files of accepted API keys. */
  APIKEY_FILE("apikey-file", "PATH", null, true,
      "accepted API keys, one per line (for keys that must not show in ps)"),
  /** Finished demo jobs to seed. */
  DEMO_JOBS("demo-jobs", "N", "0", false, "seed N finished demo jobs (0 = no demo data)"),
  /** Items per demo job. */
  DEMO_ITEMS_PER_JOB("demo-items-per-job", "N", Integer.toString(DemoData.DEFAULT_ITEMS_PER_JOB), false, "items per demo job, about 1.4 KB each"),
  /** Project of the demo jobs. */
  DEMO_PROJECT("demo-project", "ID", Long.toString(DemoData.DEFAULT_PROJECT), false, "project of the demo jobs"),
  /** Empty projects that exist from the start. */
  PROJECT("project", "ID", null, true,
      "an empty project that exists from the start; requests to any other project are refused, as the real "
          + "service refuses them"),
  /** Spiders deployed in a project. */
  SPIDER("spider", "ID/NAME", null, true,
      "a spider deployed in project ID (the project exists too); run.json schedules deployed spiders only"),
  /** Spiders whose jobs crawl. */
  CRAWL_SPIDER("crawl-spider", "NAME", null, true,
      "a spider whose jobs crawl, deployed in every project; with any --crawl-* option, jobs scheduled through "
          + "run.json run on their own: pending -> running (writing items page by page) -> finished"),
  /** Least time a job stays pending. */
  CRAWL_PENDING_MS("crawl-pending-ms", "N", "50", false, "least time a job stays pending, in ms"),
  /** How long a job runs. */
  CRAWL_RUNNING_MS("crawl-running-ms", "N", "500", false, "how long a job runs, in ms (spider argument run_ms per job)"),
  /** Items a crawling job scrapes. */
  CRAWL_ITEMS_PER_JOB("crawl-items-per-job", "N", "10", false, "items a job scrapes (spider argument items per job)"),
  /** Pace of a crawling job. */
  CRAWL_ITEMS_PER_SECOND("crawl-items-per-second", "R", null, false,
      "pace of a job: it runs items/R seconds (decimal; replaces --crawl-running-ms; spider argument "
          + "items_per_second per job)"),
  /** Items per crawled page. */
  CRAWL_ITEMS_PER_PAGE("crawl-items-per-page", "N", "1", false,
      "items per crawled page, stored together (spider argument items_per_page); spider argument fail_after=N "
          + "fails a job after N items"),
  /** Refresh period of a running job's stats. */
  CRAWL_STATS_INTERVAL_MS("crawl-stats-interval-ms", "N", "30000", false,
      "how often a running job refreshes its scrapystats and summary counts, in ms (the platform's period)"),
  /** Units per project. */
  CRAWL_UNITS("crawl-units", "N", "6", false, "units that may run at once per project"),
  /** Background tick of the crawls. */
  CRAWL_TICK_MS("crawl-tick-ms", "N", "10", false, "how often crawls advance in the background, in ms"),
  /** Demo data seed. */
  SEED("seed", "N", "1", false, "demo data seed: the same seed serves the same items"),
  /** Latency added to every request. */
  LATENCY_MS("latency-ms", "N", "0", false, "latency added to every request, in ms"),
  /** Jitter added to the latency. */
  LATENCY_JITTER_MS("latency-jitter-ms", "N", "0", false,
      "up to N ms more per request, uniform random, repeatable for a given --fault-seed"),
  /** Bandwidth per response stream. */
  BANDWIDTH_MBPS("bandwidth-mbps", "X", "0", false,
      "bandwidth in MB/s per response stream (1 MB = 1,000,000 bytes, counted after gzip; fractions allowed, "
          + "e.g. 0.5; 0 = unlimited); concurrent responses each get X, as separate connections do"),
  /** Share of requests that fail. */
  FAULT_RATE("fault-rate", "SHARE", "0", false,
      "fail this share (0..1) of requests: 429, 500, 503, dropped connections and cut bodies in equal parts; "
          + "to test a client's retries"),
  /** Seed of the fault draws. */
  FAULT_SEED("fault-seed", "N", "42", false, "seed of the fault draws and of the latency jitter"),
  /** Whether responses may be gzipped; a switch: {@code --no-gzip}, {@code EMULATOR_GZIP=false}. */
  GZIP("gzip", null, "true", false, "never gzip responses (by default they are gzipped when the client accepts it)");

  /** Prefix of the container's variables. */
  public static final String VARIABLE_PREFIX = "EMULATOR_";

  private final String name;
  private final String label;
  private final String defaultValue;
  private final boolean repeatable;
  private final String help;

  EmulatorSetting(String name, String label, String defaultValue, boolean repeatable, String help) {
    this.name = name;
    this.label = label;
    this.defaultValue = defaultValue;
    this.repeatable = repeatable;
    this.help = help;
  }

  /**
   * The setting's name in kebab case.
   *
   * @return e.g. {@code demo-items-per-job}
   */
  public String settingName() {
    return name;
  }

  /**
   * The command-line option.
   *
   * @return {@code --NAME}, or {@code --no-NAME} for a switch
   */
  public String option() {
    return isSwitch() ? "--no-" + name : "--" + name;
  }

  /**
   * The container's environment variable.
   *
   * @return e.g. {@code EMULATOR_DEMO_ITEMS_PER_JOB}
   */
  public String variable() {
    return VARIABLE_PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * What the option's value is, for help texts.
   *
   * @return e.g. {@code N}; null for a switch, which takes no value
   */
  public String valueLabel() {
    return label;
  }

  /**
   * The value the emulator uses when the setting is not given.
   *
   * @return the default as it would be written, or null when there is none (nothing, or a value
   *     computed from other settings)
   */
  public String defaultValue() {
    return defaultValue;
  }

  /**
   * Whether the setting may be given several times (a comma-separated list in its variable).
   *
   * @return true for lists such as API keys and projects
   */
  public boolean isRepeatable() {
    return repeatable;
  }

  /**
   * Whether the setting is a switch: an option without value that turns the default off, and a
   * variable that is {@code true} or {@code false}.
   *
   * @return true for {@link #GZIP}
   */
  public boolean isSwitch() {
    return label == null;
  }

  /**
   * One line of help, without the default.
   *
   * @return what the setting does
   */
  public String help() {
    return help;
  }

  /**
   * The setting whose {@link #option()} this is.
   *
   * @param option e.g. {@code --port}
   * @return the setting, or null for an option that is none
   */
  public static EmulatorSetting ofOption(String option) {
    for (EmulatorSetting s : values()) {
      if (s.option().equals(option)) {
        return s;
      }
    }
    return null;
  }
}
