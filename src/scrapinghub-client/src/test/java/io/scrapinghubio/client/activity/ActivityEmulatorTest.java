package io.scrapinghubio.client.activity;

import static io.scrapinghubio.client.testing.EmulatorClients.line;
import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.ServerErrorException;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Project activity end to end against the emulator. Each test uses its own project. */
class ActivityEmulatorTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222, 3333331, 3333332);

  ScrapyCloudEmulator emu;
  ScrapinghubClient client;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = EmulatorClients.client(emu);
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void addOneOrManyAndListNewestFirst() {
    Activity activity = client.getProject(2222222).activity();
    assertEquals(List.of(), activity.list());
    activity.add(Map.of("job", "2222222/2/3", "event", "job:completed", "user", "jobrunner"));
    activity.add(List.of(Map.of("job", "2222222/2/4", "event", "job:cancelled", "user", "john"), Map.of("c", 1)));
    List<JsonNode> all = activity.list();
    assertEquals(3, all.size());
    assertEquals(1, all.get(0).get("c").asInt(), "newest first");
    assertEquals("job:cancelled", all.get(1).get("event").asText());
    assertEquals("2222222/2/3", all.get(2).get("job").asText());
    assertEquals("jobrunner", all.get(2).get("user").asText());
    List<JsonNode> two = activity.list(2);
    assertEquals(all.subList(0, 2), two);
    assertTrue(requests(emu).stream().anyMatch(r -> line(r).equals("GET /activity/2222222?count=2")));
    List<JsonNode> filtered = activity.list(new ActivityQuery().meta("_ts").filter("[\"event\", \"=\", [\"job:cancelled\"]]"));
    assertEquals(1, filtered.size());
    assertEquals("2222222/2/4", filtered.get(0).get("job").asText());
    assertTrue(filtered.get(0).get("_ts").asLong() > 0, "meta=_ts adds the insert time");
    List<JsonNode> iterated = new java.util.ArrayList<>();
    activity.iter(new ActivityQuery().count(10)).forEach(iterated::add);
    assertEquals(all, iterated);
    String body = requests(emu).stream().filter(r -> r.method().equals("POST")).toList().get(1).bodyText();
    assertEquals(2, body.split("\n").length, "many events go in one request, one JSON line each");
  }

  @Test
  void eventsOfAnotherProjectAreRefusedBeforeSending() {
    Activity activity = client.getProject(3333331).activity();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> activity.add(List.of(Map.of("job", "3333331/1/1"), Map.of("job", "123/1/1", "event", "x"))));
    assertTrue(e.getMessage().contains("123/1/1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> activity.add(Map.of("job", "not-a-key")));
    activity.add(List.of()); // nothing to send
    assertEquals(List.of(), requests(emu));
    assertEquals(List.of(), activity.list(), "nothing of the refused batch was stored");
  }

  @Test
  void addingIsNotRetriedOnServerErrors() {
    Activity activity = client.getProject(3333332).activity();
    emu.faults().failNext(1, 503, "POST", "^/activity/");
    assertThrows(ServerErrorException.class, () -> activity.add(Map.of("a", 1)));
    assertEquals(1, requests(emu).size(), "appending is not idempotent: a retry could record the event twice");
    // OkHttp on its own re-sends a request answered "503 + Retry-After: 0": the client must not let it
    emu.faults().rule().method("POST").path("^/activity/").status(503).retryAfter(0).times(1);
    assertThrows(ServerErrorException.class, () -> activity.add(Map.of("a", 3)));
    assertEquals(2, requests(emu).size(), "still one request per failed add");
    activity.add(Map.of("a", 2));
    List<JsonNode> all = activity.list();
    assertEquals(1, all.size());
    assertEquals(2, all.get(0).get("a").asInt());
  }
}
