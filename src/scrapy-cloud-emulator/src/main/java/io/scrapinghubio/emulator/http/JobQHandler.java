package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.JobSummaries;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.SpiderInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JobQ, the job queue of the storage host: {@code count}, {@code list}, {@code summary},
 * {@code jobsummary}, {@code push}, {@code startjob}, {@code update}, {@code cancel}.
 *
 * <p>Answers are Python-style JSON ({@code ", "} separators) with the bare
 * {@code application/x-jsonlines} / {@code application/json} types, as the real (Werkzeug) app
 * sends. Lists are newest first, count only finished jobs unless {@code state} is given, and are
 * capped at 1000 per page ({@code start} is a numeric offset).
 */
final class JobQHandler implements Handler {
  static final int MAX_PAGE = 1000;
  static final int SUMMARY_DEFAULT_COUNT = 5;
  private static final List<String> SUMMARY_STATES = List.of(JobState.PENDING, JobState.RUNNING, JobState.FINISHED);

  private final EmulatorState state;

  JobQHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  public void handle(Request req, Response resp) throws IOException {
    ProjectState project = Params.projectState(req, 1, state);
    // Optional spider (and job) id after the project: jobq/P/S/summary, jobq/P/S/J/cancel.
    int pos = 2;
    Integer spiderId = null;
    Integer jobNo = null;
    if (Params.isInt(req.seg(pos))) {
      spiderId = Params.intSeg(req.seg(pos++));
      if (Params.isInt(req.seg(pos))) {
        jobNo = Params.intSeg(req.seg(pos++));
      }
    }
    String op = req.seg(pos);
    if (op == null) {
      throw HttpError.notFound();
    }
    String m = req.method();
    switch (op) {
      case "count":
        requireGet(m);
        resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(filtered(req, project, spiderId).size()), false);
        return;
      case "list":
        requireGet(m);
        list(req, resp, project, spiderId);
        return;
      case "summary":
        requireGet(m);
        summary(req, resp, project, spiderId, req.seg(pos + 1));
        return;
      case "jobsummary":
        requireGet(m);
        jobsummary(req, resp, project);
        return;
      case "push":
        requirePost(m);
        push(req, resp, project);
        return;
      case "startjob":
        requirePost(m);
        startjob(req, resp, project);
        return;
      case "update":
        requirePost(m);
        update(req, resp, project);
        return;
      case "cancel":
        requirePost(m);
        cancel(req, resp, project, spiderId, jobNo);
        return;
      default:
        throw HttpError.notFound();
    }
  }

  private static void requireGet(String m) {
    if (!m.equals("GET")) {
      throw new HttpError(405, ContentTypes.JSON_BARE, "{\"message\": \"Method Not Allowed\"}");
    }
  }

  private static void requirePost(String m) {
    if (!m.equals("POST")) {
      throw new HttpError(405, ContentTypes.JSON_BARE, "{\"message\": \"Method Not Allowed\"}");
    }
  }

  /** Jobs matching spider/state/tag/time filters, newest first (count/start not applied). */
  private List<JobState> filtered(Request req, ProjectState project, Integer spiderId) {
    List<String> states = req.params("state");
    if (states.isEmpty()) {
      states = List.of(JobState.FINISHED);
    }
    List<String> spiders = req.params("spider");
    List<String> hasTag = req.params("has_tag");
    List<String> lacksTag = req.params("lacks_tag");
    Long startts = req.param("startts") == null ? null : req.longParam("startts", 0);
    Long endts = req.param("endts") == null ? null : req.longParam("endts", 0);
    if (startts != null && endts != null && endts <= startts) {
      endts = null; // recorded: such a pair acts as startts alone
    }
    List<JobState> out = new ArrayList<>();
    for (JobState j : project.jobQueue().newestFirst()) {
      Map<String, Object> meta = j.metadata();
      if (!states.contains(String.valueOf(meta.get("state")))) {
        continue;
      }
      if (spiderId != null && j.spiderId() != spiderId) {
        continue;
      }
      if (!spiders.isEmpty() && !spiders.contains(String.valueOf(meta.get("spider")))) {
        continue;
      }
      List<?> tags = meta.get("tags") instanceof List ? (List<?>) meta.get("tags") : List.of();
      if (!hasTag.isEmpty() && hasTag.stream().noneMatch(tags::contains)) {
        continue;
      }
      if (lacksTag.stream().anyMatch(tags::contains)) {
        continue;
      }
      if ((startts != null && j.ts() < startts) || (endts != null && j.ts() >= endts)) {
        continue;
      }
      out.add(j);
    }
    return out;
  }

  private void list(Request req, Response resp, ProjectState project, Integer spiderId) {
    List<JobState> jobs = filtered(req, project, spiderId);
    String stop = req.param("stop");
    if (stop != null) {
      List<JobState> cut = new ArrayList<>();
      for (JobState j : jobs) {
        if (j.key().equals(stop)) {
          break;
        }
        cut.add(j);
      }
      jobs = cut;
    }
    List<Object> lines = new ArrayList<>();
    long now = state.now();
    List<String> jobmeta = req.params("jobmeta");
    for (JobState j : page(req, jobs, MAX_PAGE)) {
      lines.add(JobSummaries.summary(project, j, now, jobmeta));
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, joinLines(lines), false);
  }

  /** Applies {@code start} (offset) and {@code count} (capped at {@code max}). */
  private static List<JobState> page(Request req, List<JobState> jobs, int dflt) {
    long start = Math.max(0, req.longParam("start", 0));
    long count = req.longParam("count", dflt);
    count = Math.max(0, Math.min(count, MAX_PAGE));
    int from = (int) Math.min(start, jobs.size());
    int to = (int) Math.min(jobs.size(), from + count);
    return jobs.subList(from, to);
  }

  private void summary(Request req, Response resp, ProjectState project, Integer spiderId, String only) {
    List<String> states = only == null ? SUMMARY_STATES : List.of(only);
    if (!SUMMARY_STATES.containsAll(states) && !states.equals(List.of(JobState.DELETED))) {
      throw HttpError.notFound();
    }
    List<Object> lines = new ArrayList<>();
    long now = state.now();
    List<String> jobmeta = req.params("jobmeta");
    for (String st : states) {
      List<JobState> jobs = new ArrayList<>();
      for (JobState j : project.jobQueue().newestFirst()) {
        if (st.equals(j.state()) && (spiderId == null || j.spiderId() == spiderId)) {
          jobs.add(j);
        }
      }
      List<Object> summaries = new ArrayList<>();
      for (JobState j : page(req, jobs, SUMMARY_DEFAULT_COUNT)) {
        summaries.add(JobSummaries.summary(project, j, now, jobmeta));
      }
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("count", jobs.size());
      line.put("summary", summaries);
      line.put("name", st);
      lines.add(line);
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, joinLines(lines), false);
  }

  private void jobsummary(Request req, Response resp, ProjectState project) {
    List<Object> lines = new ArrayList<>();
    long now = state.now();
    for (String key : req.params("key")) {
      Optional<JobState> job = jobByKey(project, key);
      job.ifPresent(j -> lines.add(JobSummaries.summary(project, j, now, req.params("jobmeta"))));
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, joinLines(lines), false);
  }

  static Optional<JobState> jobByKey(ProjectState project, String key) {
    String[] p = key.split("/");
    if (p.length != 3 || !Params.isInt(p[1]) || !Params.isInt(p[2]) || !p[0].equals(String.valueOf(project.id()))) {
      return Optional.empty();
    }
    return project.job(Integer.parseInt(p[1]), Integer.parseInt(p[2]));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> bodyObjects(Request req) {
    List<Object> docs;
    try {
      docs = Json.parseLines(req.body());
    } catch (Json.JsonSyntaxException e) {
      throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Invalid JSON: " + e.getMessage().replace("\"", "'") + "\"}");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object d : docs) {
      if (d instanceof List) {
        for (Object o : (List<Object>) d) {
          if (o instanceof Map) {
            out.add((Map<String, Object>) o);
          }
        }
      } else if (d instanceof Map) {
        out.add((Map<String, Object>) d);
      } else {
        throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Expected JSON objects\"}");
      }
    }
    return out;
  }

  private void push(Request req, Response resp, ProjectState project) {
    List<Object> lines = new ArrayList<>();
    for (Map<String, Object> r : bodyObjects(req)) {
      Object spiderName = r.get("spider");
      if (spiderName == null) {
        throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"spider is required\"}");
      }
      Object unique = r.get("unique");
      if (unique != null && project.jobQueue().hasActiveUnique(String.valueOf(unique))) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("request", r);
        err.put("error", "Active job exists with key " + unique);
        lines.add(err);
        continue;
      }
      // JobQ gives any name an id (recorded), without deploying it.
      SpiderInfo spider = project.spiders().named(String.valueOf(spiderName), true).orElseThrow();
      String st = r.get("state") == null ? JobState.PENDING : String.valueOf(r.get("state"));
      List<String> tags = new ArrayList<>();
      if (r.get("tags") instanceof List) {
        ((List<?>) r.get("tags")).forEach(t -> tags.add(String.valueOf(t)));
      }
      Map<String, Object> extra = new LinkedHashMap<>(r);
      for (String k : List.of("spider", "state", "priority", "units", "tags", "unique")) {
        extra.remove(k);
      }
      JobState job = project.createJob(spider, st, tags, intOr(r.get("priority"), 2), intOr(r.get("units"), 1),
          extra, ProjectState.Origin.JOBQ);
      if (unique != null) {
        project.jobQueue().markUnique(job, String.valueOf(unique));
      }
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("key", job.key());
      line.put("auth", job.auth());
      lines.add(line);
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, joinLines(lines), false);
  }

  private static int intOr(Object o, int dflt) {
    return o instanceof Number ? ((Number) o).intValue() : dflt;
  }

  private void startjob(Request req, Response resp, ProjectState project) {
    Map<String, Object> extra = new LinkedHashMap<>();
    for (Map<String, Object> r : bodyObjects(req)) {
      extra.putAll(r);
    }
    extra.remove("botgroup");
    extra.remove("botgroups");
    Optional<JobState> job = project.jobQueue().startNext(extra);
    if (job.isEmpty()) {
      resp.empty(204, null);
      return;
    }
    JobState j = job.get();
    Map<String, Object> out = j.metadata();
    out.put("key", j.key());
    out.put("auth", j.auth());
    resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
  }

  private void update(Request req, Response resp, ProjectState project) {
    List<Object> lines = new ArrayList<>();
    for (Map<String, Object> r : bodyObjects(req)) {
      String key = String.valueOf(r.get("key"));
      Object st = r.get("state");
      Map<String, Object> extra = new LinkedHashMap<>(r);
      extra.remove("key");
      extra.remove("state");
      List<JobState> targets = new ArrayList<>();
      String[] p = key.split("/");
      if (p.length == 2 && Params.isInt(p[1]) && p[0].equals(String.valueOf(project.id()))) {
        int sid = Integer.parseInt(p[1]);
        for (JobState j : project.jobs()) {
          if (j.spiderId() == sid && !JobState.DELETED.equals(j.state())) {
            targets.add(j);
          }
        }
      } else {
        jobByKey(project, key).ifPresent(targets::add);
      }
      for (JobState j : targets) {
        String prev = project.updateJob(j, st == null ? null : String.valueOf(st), extra);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("prevstate", prev);
        line.put("key", j.key());
        lines.add(line);
      }
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, joinLines(lines), false);
  }

  private void cancel(Request req, Response resp, ProjectState project, Integer spiderId, Integer jobNo) {
    int count = 0;
    if (spiderId != null && jobNo != null) {
      Optional<JobState> j = project.job(spiderId, jobNo);
      if (j.isPresent() && project.jobQueue().cancel(j.get())) {
        count++;
      }
    } else if (req.body().length == 0 && req.param("count") != null) {
      long n = req.longParam("count", 0);
      List<JobState> jobs = project.jobs();
      for (JobState j : jobs) {
        if (count >= n) {
          break;
        }
        if (JobState.PENDING.equals(j.state()) && project.jobQueue().cancel(j)) {
          count++;
        }
      }
    } else {
      for (Map<String, Object> r : bodyObjects(req)) {
        Optional<JobState> j = jobByKey(project, String.valueOf(r.get("key")));
        if (j.isPresent() && project.jobQueue().cancel(j.get())) {
          count++;
        }
      }
    }
    resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(Map.of("count", count)), false);
  }

  /** Python-style JSON lines separated (not terminated) by newlines, as JobQ sends them. */
  static byte[] joinLines(List<Object> lines) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(Json.python(lines.get(i)));
    }
    return sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
