package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.log.LoggedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorAuthTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("GOOD").projects(5);

  @Test
  void storageDataHostAnswersBareUnauthorized(ScrapyCloudEmulator emu) {
    TestHttp.Reply r = new TestHttp(emu, "BAD").get("items/2222222/1/1");
    assertEquals(401, r.code());
    assertNull(r.contentType());
    assertEquals("Unauthorized\n", r.text());
    assertEquals(401, new TestHttp(emu, null).get("items/2222222/1/1").code());
  }

  @Test
  void jobqAnswersWerkzeugJson(ScrapyCloudEmulator emu) {
    TestHttp.Reply r = new TestHttp(emu, "BAD").post("jobq/2222222/push", "{\"spider\": \"s\"}");
    assertEquals(401, r.code());
    assertEquals("application/json", r.contentType());
    assertEquals("{\n  \"error\": \"Unauthorized\",\n  \"message\": \"Unauthorized\"\n}", r.text());
  }

  @Test
  void dashAnswersAuthenticationFailed(ScrapyCloudEmulator emu) {
    TestHttp.Reply r = new TestHttp(emu.dashUrl(), "BAD").get("scrapyd/listprojects.json");
    assertEquals(401, r.code());
    assertEquals("{\"status\":\"error\",\"message\":\"Authentication failed\"}", r.text());
  }

  @Test
  void serverTimestampNeedsNoCredentials(ScrapyCloudEmulator emu) {
    // Recorded (test_client/test_timestamp): GET system/ts without an Authorization header, 200.
    TestHttp.Reply r = new TestHttp(emu, null).get("system/ts");
    assertEquals(200, r.code());
    assertEquals("application/json; charset=UTF-8", r.contentType());
    assertEquals(true, r.text().matches("\\d{13}"), r.text());
    // Only the timestamp is public: the rest of the host still wants a key.
    assertEquals(401, new TestHttp(emu, null).get("system/other").code());
  }

  @Test
  void goodKeyViaBasicOrQueryParameter(ScrapyCloudEmulator emu) {
    assertEquals(200, new TestHttp(emu, "GOOD").get("system/ts").code());
    assertEquals(200, new TestHttp(emu, null).get("system/ts?apikey=GOOD").code());
  }

  @Test
  void jobTokenAuthenticatesAsTheJob(ScrapyCloudEmulator emu) {
    TestHttp good = new TestHttp(emu, "GOOD");
    String line = good.post("jobq/5/push", "{\"spider\": \"s\", \"state\": \"running\"}").text();
    java.util.Map<String, Object> pushed = TestHttp.map(io.scrapinghubio.emulator.json.Json.parse(line));
    String key = (String) pushed.get("key");
    String token = (String) pushed.get("auth");
    okhttp3.Request req = new okhttp3.Request.Builder().url(emu.storageUrl() + "items/" + key)
        .header("Authorization", okhttp3.Credentials.basic(key, token)).build();
    assertEquals(200, TestHttp.exec(req).code());
    okhttp3.Request bad = new okhttp3.Request.Builder().url(emu.storageUrl() + "items/" + key)
        .header("Authorization", okhttp3.Credentials.basic(key, "nope")).build();
    assertEquals(401, TestHttp.exec(bad).code());
  }

  @Test
  void requestLogOmitsAuthorization(ScrapyCloudEmulator emu) {
    new TestHttp(emu, "GOOD").get("system/ts?x=1&x=2");
    LoggedRequest r = emu.requestLog().last();
    assertEquals("/system/ts", r.path());
    assertEquals(java.util.List.of("1", "2"), r.query().get("x"));
    assertNull(r.header("Authorization"));
    assertEquals(200, r.status());
  }
}
