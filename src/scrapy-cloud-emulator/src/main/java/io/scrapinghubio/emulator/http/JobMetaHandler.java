package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Job metadata, {@code jobs/P/S/J[/field]}: read the whole dict (one JSON line) or one field
 * (bare JSON, {@code null} when absent), replace the dict, set or delete one field. Write
 * acknowledgements are empty {@code text/html; charset=utf-8}, as recorded.
 *
 * <p>A job that does not exist has no metadata: the whole dict reads as an empty body (what
 * {@code shub} relies on to say "Job ... does not exist", and what makes the official client's
 * {@code metadata.list()} stop), a field reads {@code null}, and writes are refused with 404 rather
 * than dropped (the real answer to a write was not recorded: the stricter choice). A deleted job
 * keeps its metadata (recorded).
 */
final class JobMetaHandler implements Handler {
  private final EmulatorState state;

  JobMetaHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  public void handle(Request req, Response resp) throws IOException {
    if (req.size() < 4) {
      throw HttpError.notFound();
    }
    ProjectState project = Params.projectState(req, 1, state);
    Optional<JobState> job = project.job(Params.intSeg(req.seg(2)), Params.intSeg(req.seg(3)));
    String field = req.size() > 4 ? req.seg(4) : null;
    switch (req.method()) {
      case "GET":
        if (field == null) {
          byte[] body = job.map(j -> Json.pythonBytes(j.metadata())).orElse(new byte[0]);
          resp.bytes(200, ContentTypes.JSONLINES_BARE, body, false);
        } else {
          Object v = job.map(j -> j.get(field)).orElse(null);
          resp.bytes(200, ContentTypes.JSON_BARE, Json.pythonBytes(v), false);
        }
        return;
      case "POST":
      case "PUT":
        write(req, project, job.orElseThrow(HttpError::notFound), field);
        resp.empty(200, ContentTypes.HTML);
        return;
      case "DELETE":
        if (field != null && job.isPresent()) {
          project.jobMetadata().remove(job.get(), field);
        }
        resp.empty(200, ContentTypes.HTML);
        return;
      default:
        throw new HttpError(405, ContentTypes.JSON_BARE, "{\"message\": \"Method Not Allowed\"}");
    }
  }

  /** Replaces the whole dict ({@code field} null) or sets one field. */
  private static void write(Request req, ProjectState project, JobState job, String field) {
    Object value = parse(req);
    if (field != null) {
      project.jobMetadata().set(job, field, value);
      return;
    }
    if (!(value instanceof Map)) {
      throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Expected a JSON object\"}");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) value);
    m.remove("auth");
    m.remove("_key");
    m.remove("state");
    project.jobMetadata().replace(job, m);
  }

  private static Object parse(Request req) {
    try {
      return Json.parse(req.body());
    } catch (Json.JsonSyntaxException e) {
      throw new HttpError(400, ContentTypes.JSON_BARE, "{\"message\": \"Invalid JSON\"}");
    }
  }
}
