package io.scrapinghubio.client.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.FakeStorage;
import io.scrapinghubio.client.testing.FakeStorage.Fault;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivityTest {
  FakeStorage fs;
  ScrapinghubClient client;
  Activity activity;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
    activity = client.getProject(2222222).activity();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  @Test
  void addOneOrManyAndListNewestFirst() {
    activity.add(Map.of("job", "2222222/2/3", "event", "job:completed", "user", "jobrunner"));
    activity.add(List.of(Map.of("job", "2222222/2/3", "event", "job:cancelled", "user", "john"), Map.of("c", 1)));
    List<JsonNode> all = activity.list();
    assertEquals(3, all.size());
    assertEquals(1, all.get(0).get("c").asInt());
    assertEquals("job:completed", all.get(2).get("event").asText());
    List<JsonNode> two = activity.list(2);
    assertEquals(2, two.size());
    assertTrue(fs.requests().contains("GET /activity/2222222?count=2"));
    activity.list(new ActivityQuery().count(1).meta("_ts").filter("[\"c\", \">\", [0]]"));
    assertTrue(fs.requests().stream().anyMatch(s -> s.contains("meta=_ts") && s.contains("filter=")));
  }

  @Test
  void eventsOfAnotherProjectAreRefusedBeforeSending() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> activity.add(List.of(Map.of("job", "2222222/1/1"), Map.of("job", "123/1/1", "event", "x"))));
    assertTrue(e.getMessage().contains("123/1/1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> activity.add(Map.of("job", "not-a-key")));
    assertEquals(List.of(), fs.requests());
  }

  @Test
  void addingIsNotRetriedOnServerErrors() {
    fs.fault("POST /activity/.*", Fault.STATUS_503, 1);
    assertThrows(io.scrapinghubio.client.errors.ServerErrorException.class, () -> activity.add(Map.of("a", 1)));
    assertEquals(1, fs.requests().size(), "appending is not idempotent: a retry could record the event twice");
  }
}
