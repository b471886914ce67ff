package io.scrapinghubio.client;

import io.scrapinghubio.client.json.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to schedule with {@code run.json}: the arguments of python-scrapinghub's
 * {@code jobs.run(spider, units, priority, meta, add_tag, job_args, job_settings, cmd_args,
 * environment, **params)} as an immutable value. Every {@code withX} validates at once.
 *
 * <pre>{@code
 * Job job = project.jobs().run(RunRequest.of("books")
 *     .withArg("category", "poetry").withUnits(2).withPriority(3)
 *     .withTags("nightly").withMeta(Map.of("team", "data")));
 * }</pre>
 *
 * <p>On the wire (form POST, scrapy-cloud-api.md §2.A): {@code project}, {@code spider},
 * {@code units}, {@code priority}, repeated {@code add_tag}, {@code job_settings}/{@code meta}/
 * {@code environment} as JSON strings, {@code cmd_args}, every spider argument as a top-level
 * field, then the extra params verbatim. As in the official client, a spider argument whose name
 * collides with one of these fields is rejected here rather than silently dropped.
 */
public final class RunRequest implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Form fields the request sets itself; spider arguments and extra params may not use them. */
  public static final Set<String> RESERVED = Set.of(
      "project", "spider", "units", "priority", "add_tag", "job_settings", "meta", "environment", "cmd_args");

  /** See {@link #spider()}. */
  private final String spider;
  /** See {@link #units()}. */
  private final Integer units;
  /** See {@link #priority()}. */
  private final Integer priority;
  /** See {@link #tags()}. */
  private final List<String> tags;
  /** See {@link #args()}. */
  private final Map<String, String> args;
  /** See {@link #jobSettings()}. */
  private final Map<String, Object> jobSettings;
  /** See {@link #meta()}. */
  private final Map<String, Object> meta;
  /** See {@link #environment()}. */
  private final Map<String, String> environment;
  /** See {@link #cmdArgs()}. */
  private final String cmdArgs;
  /** See {@link #params()}. */
  private final Map<String, String> params;

  private RunRequest(String spider, Integer units, Integer priority, List<String> tags, Map<String, String> args,
      Map<String, Object> jobSettings, Map<String, Object> meta, Map<String, String> environment, String cmdArgs,
      Map<String, String> params) {
    this.spider = spider;
    this.units = units;
    this.priority = priority;
    this.tags = tags;
    this.args = args;
    this.jobSettings = jobSettings;
    this.meta = meta;
    this.environment = environment;
    this.cmdArgs = cmdArgs;
    this.params = params;
  }

  /**
   * A run of {@code spider} (by name) with the service's defaults (1 unit, priority 2).
   *
   * @param spider the spider's name
   * @return the request
   */
  public static RunRequest of(String spider) {
    return new RunRequest(checkSpider(spider), null, null, List.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, Map.of());
  }

  /**
   * A run whose spider is given by the {@link Jobs} it is sent to ({@code spider.jobs().run(...)}).
   *
   * @return the request
   */
  public static RunRequest create() {
    return new RunRequest(null, null, null, List.of(), Map.of(), Map.of(), Map.of(), Map.of(), null, Map.of());
  }

  private static String checkSpider(String spider) {
    if (spider == null || spider.isBlank()) {
      throw new IllegalArgumentException("spider name must be non-empty, but was '" + spider + "'");
    }
    return spider;
  }

  private RunRequest copy(String spider, Integer units, Integer priority, List<String> tags, Map<String, String> args,
      Map<String, Object> jobSettings, Map<String, Object> meta, Map<String, String> environment, String cmdArgs,
      Map<String, String> params) {
    return new RunRequest(spider, units, priority, tags, args, jobSettings, meta, environment, cmdArgs, params);
  }

  /**
   * The same request for another spider.
   *
   * @param name the spider's name
   * @return a new request
   */
  public RunRequest withSpider(String name) {
    return copy(checkSpider(name), units, priority, tags, args, jobSettings, meta, environment, cmdArgs, params);
  }

  /**
   * Scrapy Cloud units, 1 to 6.
   *
   * @param n units
   * @return a new request
   */
  public RunRequest withUnits(int n) {
    if (n < 1 || n > 6) {
      throw new IllegalArgumentException("units must be in 1..6, but was " + n);
    }
    return copy(spider, n, priority, tags, args, jobSettings, meta, environment, cmdArgs, params);
  }

  /**
   * Queue priority, 0 (lowest) to 4 (highest); the service default is 2.
   *
   * @param p the priority
   * @return a new request
   */
  public RunRequest withPriority(int p) {
    if (p < 0 || p > 4) {
      throw new IllegalArgumentException("priority must be in 0..4, but was " + p);
    }
    return copy(spider, units, p, tags, args, jobSettings, meta, environment, cmdArgs, params);
  }

  /**
   * Tags to add to the job (sent as repeated {@code add_tag}).
   *
   * @param add tags
   * @return a new request
   */
  public RunRequest withTags(String... add) {
    List<String> l = new ArrayList<>(tags);
    for (String t : add) {
      l.add(checkTag(t));
    }
    return copy(spider, units, priority, List.copyOf(l), args, jobSettings, meta, environment, cmdArgs, params);
  }

  static String checkTag(String t) {
    if (t == null || t.isBlank()) {
      throw new IllegalArgumentException("tags must be non-empty strings, but got '" + t + "'");
    }
    return t;
  }

  /**
   * One spider argument ({@code -a name=value}); sent as a top-level form field.
   *
   * @param name the argument's name
   * @param value its value
   * @return a new request
   */
  public RunRequest withArg(String name, String value) {
    checkField("spider argument", name);
    Objects.requireNonNull(value, () -> "value of spider argument '" + name + "' is null");
    Map<String, String> m = new LinkedHashMap<>(args);
    m.put(name, value);
    return copy(spider, units, priority, tags, Collections.unmodifiableMap(m), jobSettings, meta, environment, cmdArgs, params);
  }

  /**
   * Several spider arguments at once.
   *
   * @param more arguments by name
   * @return a new request
   */
  public RunRequest withArgs(Map<String, String> more) {
    RunRequest r = this;
    for (Map.Entry<String, String> e : more.entrySet()) {
      r = r.withArg(e.getKey(), e.getValue());
    }
    return r;
  }

  /**
   * Scrapy settings for this job only (sent as the JSON string {@code job_settings}).
   *
   * @param settings settings by name
   * @return a new request
   */
  public RunRequest withJobSettings(Map<String, ?> settings) {
    return copy(spider, units, priority, tags, args, jsonMap("job_settings", settings), meta, environment, cmdArgs, params);
  }

  /**
   * Job metadata to set at scheduling (sent as the JSON string {@code meta}); e.g. {@code state}
   * sets the initial state.
   *
   * @param m metadata by field
   * @return a new request
   */
  public RunRequest withMeta(Map<String, ?> m) {
    return copy(spider, units, priority, tags, args, jobSettings, jsonMap("meta", m), environment, cmdArgs, params);
  }

  /**
   * Environment variables of the job (sent as the JSON string {@code environment}).
   *
   * @param env variables by name
   * @return a new request
   */
  public RunRequest withEnvironment(Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new IllegalArgumentException("environment entries need a non-empty name and a value, but got "
            + e.getKey() + "=" + e.getValue());
      }
    }
    return copy(spider, units, priority, tags, args, jobSettings, meta, Collections.unmodifiableMap(new LinkedHashMap<>(env)), cmdArgs, params);
  }

  /**
   * Extra command-line arguments for the job's command ({@code cmd_args}).
   *
   * @param cmd the arguments, as one string
   * @return a new request
   */
  public RunRequest withCmdArgs(String cmd) {
    if (cmd == null || cmd.isBlank()) {
      throw new IllegalArgumentException("cmd_args must be non-empty, but was '" + cmd + "'");
    }
    return copy(spider, units, priority, tags, args, jobSettings, meta, environment, cmd, params);
  }

  /**
   * Any other form field, sent verbatim (e.g. {@code jobq_id}, or {@code subid} to make runs
   * unique).
   *
   * @param name the field's name
   * @param value its value
   * @return a new request
   */
  public RunRequest withParam(String name, String value) {
    checkField("param", name);
    Objects.requireNonNull(value, () -> "value of param '" + name + "' is null");
    Map<String, String> m = new LinkedHashMap<>(params);
    m.put(name, value);
    return copy(spider, units, priority, tags, args, jobSettings, meta, environment, cmdArgs, Collections.unmodifiableMap(m));
  }

  private static void checkField(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must be non-empty, but was '" + name + "'");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(what + " name '" + name + "' collides with the run.json field of that name; use the dedicated setter");
    }
  }

  private static Map<String, Object> jsonMap(String what, Map<String, ?> m) {
    Objects.requireNonNull(m, what);
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : m.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException(what + " keys must be non-empty, but got '" + e.getKey() + "'");
      }
      copy.put(e.getKey(), e.getValue());
    }
    Json.write(copy); // fails now, naming the problem, if a value cannot be encoded as JSON
    return Collections.unmodifiableMap(copy);
  }

  /**
   * The spider to run.
   *
   * @return its name, or null when the {@link Jobs} it is sent to says
   */
  public String spider() {
    return spider;
  }

  /**
   * Units the job takes.
   *
   * @return the units, or null for the service default
   */
  public Integer units() {
    return units;
  }

  /**
   * The job's queue priority.
   *
   * @return the priority, or null for the service default
   */
  public Integer priority() {
    return priority;
  }

  /**
   * Tags added to the job.
   *
   * @return the tags
   */
  public List<String> tags() {
    return tags;
  }

  /**
   * Spider arguments.
   *
   * @return the arguments by name
   */
  public Map<String, String> args() {
    return args;
  }

  /**
   * Scrapy settings of this job.
   *
   * @return the settings by name
   */
  public Map<String, Object> jobSettings() {
    return jobSettings;
  }

  /**
   * Job metadata set at scheduling.
   *
   * @return the metadata by field
   */
  public Map<String, Object> meta() {
    return meta;
  }

  /**
   * Environment variables of the job.
   *
   * @return the variables by name
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Extra command-line arguments.
   *
   * @return the arguments, or null
   */
  public String cmdArgs() {
    return cmdArgs;
  }

  /**
   * Other form fields, sent verbatim.
   *
   * @return the fields by name
   */
  public Map<String, String> params() {
    return params;
  }

  /**
   * The form fields of {@code run.json}, in order, each name possibly repeated ({@code add_tag}).
   *
   * @return the fields
   * @param projectId the project to run in
   * @param defaultSpider the spider when this request names none (may be null)
   */
  public List<Map.Entry<String, String>> formFields(long projectId, String defaultSpider) {
    String s = spider != null ? spider : defaultSpider;
    if (s == null) {
      throw new IllegalArgumentException("no spider to run: use RunRequest.of(spiderName) or spider.jobs().run(...)");
    }
    if (spider != null && defaultSpider != null && !spider.equals(defaultSpider)) {
      throw new IllegalArgumentException("run request names spider '" + spider + "' but was sent to the jobs of spider '"
          + defaultSpider + "'");
    }
    List<Map.Entry<String, String>> f = new ArrayList<>();
    f.add(Map.entry("project", Long.toString(projectId)));
    f.add(Map.entry("spider", s));
    if (units != null) {
      f.add(Map.entry("units", units.toString()));
    }
    if (priority != null) {
      f.add(Map.entry("priority", priority.toString()));
    }
    tags.forEach(t -> f.add(Map.entry("add_tag", t)));
    if (!jobSettings.isEmpty()) {
      f.add(Map.entry("job_settings", Json.write(jobSettings)));
    }
    if (!meta.isEmpty()) {
      f.add(Map.entry("meta", Json.write(meta)));
    }
    if (!environment.isEmpty()) {
      f.add(Map.entry("environment", Json.write(environment)));
    }
    if (cmdArgs != null) {
      f.add(Map.entry("cmd_args", cmdArgs));
    }
    args.forEach((k, v) -> f.add(Map.entry(k, v)));
    params.forEach((k, v) -> {
      if (!args.containsKey(k)) {
        f.add(Map.entry(k, v));
      }
    });
    return f;
  }

  @Override
  public String toString() {
    return "RunRequest{spider=" + spider + ", units=" + units + ", priority=" + priority + ", tags=" + tags
        + ", args=" + args + ", jobSettings=" + jobSettings + ", meta=" + meta + ", environment=" + environment.keySet()
        + ", cmdArgs=" + cmdArgs + ", params=" + params + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RunRequest)) {
      return false;
    }
    RunRequest r = (RunRequest) o;
    return Objects.equals(spider, r.spider) && Objects.equals(units, r.units) && Objects.equals(priority, r.priority)
        && tags.equals(r.tags) && args.equals(r.args) && jobSettings.equals(r.jobSettings) && meta.equals(r.meta)
        && environment.equals(r.environment) && Objects.equals(cmdArgs, r.cmdArgs) && params.equals(r.params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spider, units, priority, tags, args, jobSettings, meta, environment, cmdArgs, params);
  }
}
