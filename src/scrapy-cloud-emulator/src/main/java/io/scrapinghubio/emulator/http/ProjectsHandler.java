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
 * Small storage-host resources: {@code projects/jobsummaries}, {@code projects/P/jobsummary},
 * {@code projects/P/settings[/k]}, {@code ids/P/spider/<name>}, {@code system/ts} and
 * {@code spiders/P[/S]/lastjobsummary}.
 */
final class ProjectsHandler implements Handler {
  private final EmulatorState state;

  ProjectsHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  public void handle(Request req, Response resp) throws IOException {
    switch (req.seg(0)) {
      case "system":
        if ("ts".equals(req.seg(1)) && req.size() == 2) {
          resp.bytes(200, ContentTypes.JSON, Json.compactBytes(state.now()), false);
          return;
        }
        throw HttpError.notFound();
      case "ids":
        ids(req, resp);
        return;
      case "spiders":
        lastJobSummary(req, resp);
        return;
      default:
        projects(req, resp);
    }
  }

  private void ids(Request req, Response resp) {
    if (req.size() != 4 || !"spider".equals(req.seg(2))) {
      throw HttpError.notFound();
    }
    ProjectState project = Params.projectState(req, 1, state);
    boolean create = Params.truthy(req.param("create"));
    Optional<SpiderInfo> s = project.spiders().named(req.seg(3), create);
    resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(s.map(SpiderInfo::id).orElse(null)), false);
  }

  private void lastJobSummary(Request req, Response resp) {
    ProjectState project = Params.projectState(req, 1, state);
    Integer spiderId = Params.isInt(req.seg(2)) ? Params.intSeg(req.seg(2)) : null;
    if (!"lastjobsummary".equals(req.seg(req.size() - 1))) {
      throw HttpError.notFound();
    }
    long now = state.now();
    List<Object> lines = new ArrayList<>();
    Map<Integer, JobState> last = new LinkedHashMap<>();
    for (SpiderInfo s : project.spiders().all()) {
      if (spiderId == null || s.id() == spiderId) {
        last.put(s.id(), null);
      }
    }
    for (JobState j : project.jobQueue().newestFirst()) {
      if (JobState.FINISHED.equals(j.state()) && last.containsKey(j.spiderId()) && last.get(j.spiderId()) == null) {
        last.put(j.spiderId(), j);
      }
    }
    long startAfter = -1;
    if (req.param("startafter") != null) {
      startAfter = lastPart(req.param("startafter"));
    } else if (req.param("start") != null) {
      startAfter = lastPart(req.param("start")) - 1;
    }
    long count = req.longParam("count", Long.MAX_VALUE);
    for (JobState j : last.values()) {
      if (j == null || j.spiderId() <= startAfter) {
        continue;
      }
      if (lines.size() >= count) {
        break;
      }
      lines.add(JobSummaries.summary(project, j, now, req.params("jobmeta")));
    }
    resp.bytes(200, ContentTypes.JSONLINES_BARE, JobQHandler.joinLines(lines), false);
  }

  private static long lastPart(String key) {
    String s = key.substring(key.lastIndexOf('/') + 1);
    return Params.isInt(s) ? Long.parseLong(s) : -1;
  }

  private void projects(Request req, Response resp) {
    if (req.size() == 2 && "jobsummaries".equals(req.seg(1))) {
      List<Object> out = new ArrayList<>();
      for (ProjectState p : state.projects()) {
        if (!req.caller().sees(p.id())) {
          continue; // only the key's projects, as listprojects
        }
        Map<String, Object> s = counts(p);
        s.put("has_capacity", state.hasCapacity(p));
        out.add(s);
      }
      resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
      return;
    }
    if (req.size() < 3) {
      throw HttpError.notFound();
    }
    ProjectState project = Params.projectState(req, 1, state);
    switch (req.seg(2)) {
      case "jobsummary":
        Map<String, Object> s = counts(project);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project", project.id());
        out.put("running_units_count", project.jobQueue().runningUnits());
        out.putAll(s);
        out.put("pending_units_max", null);
        out.put("has_capacity", state.hasCapacity(project));
        resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(out), false);
        return;
      case "settings":
        settings(req, resp, project);
        return;
      default:
        throw HttpError.notFound();
    }
  }

  private static Map<String, Object> counts(ProjectState p) {
    long pending = 0;
    long running = 0;
    long finished = 0;
    for (JobState j : p.jobs()) {
      String st = j.state();
      if (JobState.PENDING.equals(st)) {
        pending++;
      } else if (JobState.RUNNING.equals(st)) {
        running++;
      } else if (JobState.FINISHED.equals(st)) {
        finished++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("project", p.id());
    m.put("running", running);
    m.put("pending", pending);
    m.put("finished", finished);
    return m;
  }

  @SuppressWarnings("unchecked")
  private void settings(Request req, Response resp, ProjectState project) {
    String key = req.size() > 3 ? req.seg(3) : null;
    switch (req.method()) {
      case "GET":
        Object v = key == null ? project.settings().all() : project.settings().all().get(key);
        resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(v), false);
        return;
      case "POST":
      case "PUT":
        Object body;
        try {
          List<Object> docs = Json.parseLines(req.body());
          body = docs.isEmpty() ? null : docs.get(0);
        } catch (Json.JsonSyntaxException e) {
          throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Invalid JSON\"}");
        }
        if (key == null) {
          if (!(body instanceof Map)) {
            throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Expected a JSON object\"}");
          }
          project.settings().replaceAll((Map<String, Object>) body);
        } else {
          project.settings().put(key, body);
        }
        resp.empty(200, ContentTypes.TEXT_LOWER);
        return;
      case "DELETE":
        if (key != null) {
          project.settings().remove(key);
        }
        resp.empty(200, ContentTypes.TEXT_LOWER);
        return;
      default:
        throw new HttpError(405, ContentTypes.JSON_BARE, "{\"message\": \"Method Not Allowed\"}");
    }
  }
}
