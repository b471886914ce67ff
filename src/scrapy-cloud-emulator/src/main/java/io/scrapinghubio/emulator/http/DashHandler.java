package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.SpiderInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dash/app API under {@code /api/}: {@code scrapyd/listprojects.json},
 * {@code spiders/list.json}, {@code run.json} (and its old alias {@code schedule.json}),
 * {@code jobs/update.json} and the DRF endpoints {@code v2/projects/P/spiders/S[/tags]}.
 *
 * <p>Errors follow the real service: the classic endpoints answer a JSON body with
 * {@code status}/{@code message} (the Python client decides by the body, except 404 and 5xx); the
 * v2 endpoints answer DRF-style bodies and are decided by status.
 */
final class DashHandler implements Handler {
  /** run.json form fields that are not spider arguments. */
  private static final Set<String> RUN_FIELDS = Set.of(
      "project", "spider", "jobq_id", "units", "priority", "add_tag", "job_settings", "meta",
      "environment", "cmd_args", "apikey");

  private final EmulatorState state;

  DashHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  public void handle(Request req, Response resp) throws IOException {
    String path = String.join("/", req.segments().subList(1, req.size()));
    if (path.equals("scrapyd/listprojects.json")) {
      // Only the projects the key may see: shub decides "has access" by looking a project up here.
      List<Long> ids = new ArrayList<>();
      state.projects().stream().filter(p -> req.caller().sees(p.id())).forEach(p -> ids.add(p.id()));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("projects", ids);
      out.put("status", "ok");
      resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
    } else if (path.equals("spiders/list.json")) {
      spidersList(req, resp);
    } else if (path.equals("run.json") || path.equals("schedule.json")) {
      run(req, resp);
    } else if (path.equals("jobs/update.json")) {
      updateTags(req, resp);
    } else if (req.size() >= 5 && "v2".equals(req.seg(1)) && "projects".equals(req.seg(2))
        && "spiders".equals(req.seg(4))) {
      v2Spider(req, resp);
    } else {
      throw new HttpError(404, ContentTypes.HTML, "<h1>Not Found</h1>");
    }
  }

  private static HttpError bad(String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "badrequest");
    m.put("message", message);
    return new HttpError(400, ContentTypes.JSON_BARE, Json.compact(m));
  }

  private static String field(Map<String, List<String>> f, String name) {
    List<String> v = f.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private ProjectState project(Request req, Map<String, List<String>> f) {
    String p = field(f, "project");
    if (p == null) {
      throw bad("Missing required parameter: project");
    }
    if (!Params.isInt(p) && !(p.length() > 10 && p.chars().allMatch(Character::isDigit))) {
      throw bad("Invalid project: " + p);
    }
    return Params.visibleProject(req, Long.parseLong(p), state, Family.DASH);
  }

  private void spidersList(Request req, Response resp) {
    ProjectState p = project(req, req.query());
    List<Object> spiders = new ArrayList<>();
    for (SpiderInfo s : p.spiders().deployed()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", null);
      m.put("tags", s.tags());
      m.put("id", s.name());
      m.put("type", "manual");
      spiders.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("spiders", spiders);
    out.put("status", "ok");
    resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
  }

  private void run(Request req, Response resp) {
    if (!req.method().equals("POST")) {
      throw new HttpError(405, ContentTypes.JSON_BARE, "{\"detail\":\"Method \\\"" + req.method() + "\\\" not allowed.\"}");
    }
    Map<String, List<String>> f = merged(req);
    ProjectState project = project(req, f);
    SpiderInfo spider;
    CrawlSimulation sim = state.crawlSimulation();
    if (field(f, "spider") != null) {
      String name = field(f, "spider");
      if (sim != null && sim.spiders().containsKey(name)) {
        project.addSpider(name); // a spider the simulation declares is deployed in every project
      }
      spider = project.spiders().deployed(name).orElseThrow(() -> spiderNotFound(name));
    } else if (field(f, "jobq_id") != null) {
      String jq = field(f, "jobq_id");
      spider = project.spiders().byId(Params.isInt(jq) ? Integer.parseInt(jq) : -1).filter(SpiderInfo::deployed)
          .orElseThrow(() -> bad("Spider with jobq_id " + jq + " not found"));
    } else {
      throw bad("Missing required parameter: spider");
    }
    int units = intField(f, "units", 1, 1, 6);
    int priority = intField(f, "priority", 2, 0, 4);
    Map<String, Object> args = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : f.entrySet()) {
      if (!RUN_FIELDS.contains(e.getKey()) && !e.getValue().isEmpty()) {
        args.put(e.getKey(), e.getValue().get(0));
      }
    }
    Map<String, Object> meta = jsonField(f, "meta");
    String initial = meta.containsKey("state") ? String.valueOf(meta.remove("state")) : JobState.PENDING;
    if (!List.of(JobState.PENDING, JobState.RUNNING, JobState.FINISHED, JobState.DELETED).contains(initial)) {
      throw bad("Invalid state: " + initial);
    }
    synchronized (project.jobQueue()) { // the duplicate check and the new job in one step
      if (project.jobQueue().hasActiveDuplicate(spider, args)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", spider.name() + " already scheduled");
        m.put("status", "error");
        throw new HttpError(400, ContentTypes.JSON_BARE, Json.compact(m));
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      if (!args.isEmpty()) {
        extra.put("spider_args", args);
      }
      if (field(f, "job_settings") != null) {
        extra.put("job_settings", jsonField(f, "job_settings"));
      }
      if (field(f, "environment") != null) {
        extra.put("environment", jsonField(f, "environment"));
      }
      if (field(f, "cmd_args") != null) {
        extra.put("cmd_args", field(f, "cmd_args"));
      }
      extra.putAll(meta);
      JobState job = project.createJob(spider, initial, f.getOrDefault("add_tag", List.of()), priority, units,
          extra, ProjectState.Origin.DASH);
      if (sim != null) {
        io.scrapinghubio.emulator.store.SimulatedCrawlRunner.plan(project, job, sim);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("status", "ok");
      out.put("jobid", job.key());
      resp.bytes(200, ContentTypes.JSON_BARE, Json.compactBytes(out), false);
    }
  }

  /**
   * {@code run.json} for a spider that was never deployed: refused, as a real project refuses a
   * name its deploys do not hold (the real text was not recorded; this one names the spider).
   */
  private static HttpError spiderNotFound(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("message", "Spider " + name + " not found");
    return new HttpError(400, ContentTypes.JSON_BARE, Json.compact(m));
  }

  /** Form fields plus query parameters (the dash accepts both). */
  private static Map<String, List<String>> merged(Request req) {
    Map<String, List<String>> f = new LinkedHashMap<>(req.form());
    req.query().forEach((k, v) -> f.putIfAbsent(k, v));
    return f;
  }

  private static int intField(Map<String, List<String>> f, String name, int dflt, int min, int max) {
    String v = field(f, name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) {
        throw bad("Invalid " + name + ": " + v + " (allowed " + min + ".." + max + ")");
      }
      return i;
    } catch (NumberFormatException e) {
      throw bad("Invalid " + name + ": " + v);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> jsonField(Map<String, List<String>> f, String name) {
    String v = field(f, name);
    if (v == null || v.isEmpty()) {
      return new LinkedHashMap<>();
    }
    try {
      Object o = Json.parse(v);
      if (o instanceof Map) {
        return new LinkedHashMap<>((Map<String, Object>) o);
      }
    } catch (RuntimeException ignored) {
      // reported below
    }
    throw bad("Invalid JSON in parameter " + name);
  }

  private void updateTags(Request req, Response resp) {
    if (!req.method().equals("POST")) {
      throw new HttpError(405, ContentTypes.JSON_BARE, "{\"detail\":\"Method not allowed.\"}");
    }
    Map<String, List<String>> f = merged(req);
    ProjectState project = project(req, f);
    List<String> add = f.getOrDefault("add_tag", List.of());
    List<String> remove = f.getOrDefault("remove_tag", List.of());
    List<JobState> targets = new ArrayList<>();
    for (String key : f.getOrDefault("job", List.of())) {
      JobQHandler.jobByKey(project, key).ifPresent(targets::add);
    }
    String spiderName = field(f, "spider");
    if (spiderName != null) {
      Optional<SpiderInfo> s = project.spiders().deployed(spiderName);
      if (s.isEmpty()) {
        throw bad("Spider " + spiderName + " not found");
      }
      for (JobState j : project.jobs()) {
        if (j.spiderId() == s.get().id() && !JobState.DELETED.equals(j.state())) {
          targets.add(j);
        }
      }
    }
    if (targets.isEmpty() && f.get("job") == null && spiderName == null) {
      throw bad("Missing required parameter: job or spider");
    }
    for (JobState j : targets) {
      project.jobMetadata().updateTags(j, add, remove);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", targets.size());
    out.put("status", "ok");
    resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
  }

  @SuppressWarnings("unchecked")
  private void v2Spider(Request req, Response resp) {
    // DRF answers 404 for an object outside the user's querysets, whether it exists or not.
    long projectId = Params.projectId(req.seg(3));
    ProjectState project = state.findProject(projectId).filter(x -> req.caller().sees(projectId))
        .orElseThrow(() -> new HttpError(404, ContentTypes.JSON_BARE, "{\"detail\":\"Not found.\"}"));
    if (req.size() < 6 || !Params.isInt(req.seg(5))) {
      throw new HttpError(404, ContentTypes.JSON_BARE, "{\"detail\":\"Not found.\"}");
    }
    SpiderInfo spider = project.spiders().byId(Integer.parseInt(req.seg(5))).filter(SpiderInfo::deployed)
        .orElseThrow(() -> new HttpError(404, ContentTypes.JSON_BARE, "{\"detail\":\"Not found.\"}"));
    if (req.size() == 7 && "tags".equals(req.seg(6))) {
      if (!req.method().equals("PATCH")) {
        throw new HttpError(405, ContentTypes.JSON_BARE, "{\"detail\":\"Method \\\"" + req.method() + "\\\" not allowed.\"}");
      }
      Object body;
      try {
        body = req.body().length == 0 ? Map.of() : Json.parse(req.body());
      } catch (Json.JsonSyntaxException e) {
        throw new HttpError(400, ContentTypes.JSON_BARE, "{\"detail\":\"JSON parse error\"}");
      }
      Map<String, Object> b = body instanceof Map ? (Map<String, Object>) body : Map.of();
      List<String> add = strings(b.get("add"));
      List<String> remove = strings(b.get("remove"));
      if (add.isEmpty() && remove.isEmpty()) {
        throw new HttpError(400, ContentTypes.JSON_BARE,
            "{\"non_field_errors\":[\"At least one of \\\"add\\\" or \\\"remove\\\" arguments must not be empty\"]}");
      }
      spider.updateTags(add, remove, state.now());
    } else if (req.size() != 6 || !req.method().equals("GET")) {
      throw new HttpError(405, ContentTypes.JSON_BARE, "{\"detail\":\"Method \\\"" + req.method() + "\\\" not allowed.\"}");
    }
    resp.bytes(200, ContentTypes.JSON_BARE, Json.compactBytes(spiderObject(project, spider)), false);
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List) {
      ((List<?>) o).forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }

  /** The DRF spider object, with the fields the real one has. */
  private static Map<String, Object> spiderObject(ProjectState project, SpiderInfo s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("default_kumo_units", null);
    m.put("tags", s.tags());
    m.put("settings", Map.of());
    m.put("id", s.id());
    m.put("name", s.name());
    m.put("jobq_id", s.id());
    m.put("stats", Map.of());
    m.put("type", "manual");
    m.put("archived", false);
    m.put("deleted", false);
    m.put("version", null);
    m.put("created_at", iso(s.createdAt()));
    m.put("modified_at", iso(s.modifiedAt()));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("id", project.id());
    p.put("name", project.name());
    m.put("project", p);
    for (String k : List.of("avg_item_count", "avg_response_count", "avg_runtime")) {
      m.put(k, null);
    }
    m.put("fields_count", Map.of());
    for (String k : List.of("first_run", "last_error_count", "last_item_count", "last_job_id", "last_outcome",
        "last_response_count", "last_run")) {
      m.put(k, null);
    }
    return m;
  }

  private static String iso(long ms) {
    String s = Instant.ofEpochMilli(ms).toString(); // 2017-04-17T09:25:39.995Z
    return s.endsWith("Z") && s.contains(".") ? s.substring(0, s.length() - 1) + "000Z" : s;
  }
}
