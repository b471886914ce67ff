package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Projects exist only when configured, and a key sees only its projects: any other id is refused
 * the way the real service refuses a project the key cannot see (storage hosts: their 401; dash:
 * an error naming the project), and no request creates a project.
 */
class EmulatorProjectExistenceTest {
  private static final long MINE = 9001;
  private static final long OTHERS = 9002;
  private static final long NOWHERE = 9999;
  private static final String JOBQ_401 = "{\n  \"error\": \"Unauthorized\",\n  \"message\": \"Unauthorized\"\n}";

  private static ScrapyCloudEmulator emu;

  @BeforeAll
  static void start() {
    emu = ScrapyCloudEmulator.builder().apiKey("ADMIN").apiKeyWithAccessTo("USER", MINE).projects(MINE, OTHERS).start();
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  @Test
  void storageHostsRefuseAProjectThatDoesNotExist() {
    TestHttp h = new TestHttp(emu, "ADMIN");
    for (String path : List.of("items/" + NOWHERE + "/1/1", "logs/" + NOWHERE + "/1/1/stats",
        "collections/" + NOWHERE + "/s/c", "hcf/" + NOWHERE + "/list", "activity/" + NOWHERE)) {
      TestHttp.Reply r = h.get(path);
      assertEquals(401, r.code(), path);
      assertEquals("Unauthorized\n", r.text(), path);
    }
    for (String path : List.of("jobq/" + NOWHERE + "/list", "jobs/" + NOWHERE + "/1/1", "projects/" + NOWHERE + "/settings",
        "ids/" + NOWHERE + "/spider/s?create=1", "spiders/" + NOWHERE + "/lastjobsummary")) {
      TestHttp.Reply r = h.get(path);
      assertEquals(401, r.code(), path);
      assertEquals(JOBQ_401, r.text(), path);
    }
    assertEquals(401, h.post("collections/" + NOWHERE + "/s/c", "{\"_key\": \"k\"}").code());
    assertEquals(401, h.post("jobq/" + NOWHERE + "/push", "{\"spider\": \"s\"}").code());
    assertTrue(emu.state().findProject(NOWHERE).isEmpty(), "requests never create a project");
  }

  @Test
  void dashRefusesAProjectThatDoesNotExistNamingIt() {
    TestHttp d = new TestHttp(emu.dashUrl(), "ADMIN");
    String named = "{\"status\":\"error\",\"message\":\"Project " + NOWHERE + " not found or not accessible with this API key\"}";
    TestHttp.Reply run = d.form("run.json", "project=" + NOWHERE + "&spider=s");
    assertEquals(403, run.code());
    assertEquals(named, run.text());
    assertEquals(named, d.get("spiders/list.json?project=" + NOWHERE).text());
    assertEquals(named, d.form("jobs/update.json", "project=" + NOWHERE + "&job=" + NOWHERE + "%2F1%2F1&add_tag=t").text());
    assertEquals(404, d.get("v2/projects/" + NOWHERE + "/spiders/1").code());
    assertTrue(emu.state().findProject(NOWHERE).isEmpty(), "requests never create a project");
  }

  @Test
  void aKeySeesOnlyItsProjects() {
    TestHttp admin = new TestHttp(emu.dashUrl(), "ADMIN");
    TestHttp user = new TestHttp(emu.dashUrl(), "USER");
    assertEquals(List.of((int) MINE, (int) OTHERS), map(admin.get("scrapyd/listprojects.json").json()).get("projects"));
    assertEquals(List.of((int) MINE), map(user.get("scrapyd/listprojects.json").json()).get("projects"));
    List<Object> summaries = (List<Object>) new TestHttp(emu, "USER").get("projects/jobsummaries").json();
    assertEquals(List.of((int) MINE), maps(summaries).stream().map(m -> m.get("project")).toList());
    // A project that exists but is not the key's is refused exactly like one that does not exist.
    assertEquals(200, new TestHttp(emu, "USER").get("jobq/" + MINE + "/list").code());
    assertEquals(JOBQ_401, new TestHttp(emu, "USER").get("jobq/" + OTHERS + "/list").text());
    assertEquals(403, user.form("run.json", "project=" + OTHERS + "&spider=s").code());
  }

  @Test
  void jobCredentialsReachOnlyTheirProject() {
    TestHttp admin = new TestHttp(emu, "ADMIN");
    Map<String, Object> pushed = map(admin.post("jobq/" + MINE + "/push", "{\"spider\": \"s\", \"state\": \"running\"}").json());
    String key = (String) pushed.get("key");
    String token = (String) pushed.get("auth");
    okhttp3.Request own = new okhttp3.Request.Builder().url(emu.storageUrl() + "items/" + key)
        .header("Authorization", okhttp3.Credentials.basic(key, token)).build();
    assertEquals(200, TestHttp.exec(own).code());
    okhttp3.Request other = new okhttp3.Request.Builder().url(emu.storageUrl() + "items/" + OTHERS + "/1/1")
        .header("Authorization", okhttp3.Credentials.basic(key, token)).build();
    assertEquals(401, TestHttp.exec(other).code());
  }

  @Test
  void projectsNamedAtStartExistEmpty() {
    TestHttp h = new TestHttp(emu, "ADMIN");
    assertEquals("{}", h.get("projects/" + OTHERS + "/settings").text());
    assertEquals("", h.get("collections/" + OTHERS + "/list").text());
    assertNull(emu.state().findProject(OTHERS).orElseThrow().spiders().all().stream().findAny().orElse(null));
  }
}
