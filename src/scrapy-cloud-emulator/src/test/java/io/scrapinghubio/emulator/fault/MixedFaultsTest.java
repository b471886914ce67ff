package io.scrapinghubio.emulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link FaultPlan#mixed}: the share the emulator's {@code --fault-rate} promises, in five equal parts. */
class MixedFaultsTest {

  private static Map<String, Integer> outcomes(FaultPlan plan, int requests) {
    Map<String, Integer> seen = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      FaultRule action = plan.decide("GET", "/items/1/2/3").action();
      String what = action == null ? "ok" : action.kind() == FaultKind.STATUS ? "status " + action.statusCode() : action.kind().name();
      seen.merge(what, 1, Integer::sum);
    }
    return seen;
  }

  @Test
  void failsTheGivenShareSpreadEvenlyOverFiveKinds() {
    int n = 20_000;
    Map<String, Integer> seen = outcomes(new FaultPlan(3).mixed(0.10), n);
    assertEquals(6, seen.size(), seen.toString());
    for (String kind : new String[] {"status 429", "status 500", "status 503", "RESET", "TRUNCATE"}) {
      int k = seen.getOrDefault(kind, 0);
      // 2% of 20,000 = 400 each; a binomial's spread at this size is about 20
      assertTrue(k > 320 && k < 480, kind + " fired " + k + " times of " + n + ": " + seen);
    }
    int ok = seen.get("ok");
    assertTrue(ok > 17_700 && ok < 18_300, "about 90% pass: " + seen);
  }

  @Test
  void throttlingAnswersAskForNoWait() {
    FaultPlan plan = new FaultPlan().mixed(1.0);
    for (FaultRule r : plan.rules()) {
      if (r.kind() == FaultKind.STATUS && (r.statusCode() == 429 || r.statusCode() == 503)) {
        assertEquals(0, r.retryAfterSeconds(), "a benchmark under faults measures retries, not Retry-After sleeps");
      }
    }
    assertEquals(5, plan.rules().size());
  }

  @Test
  void zeroAddsNothingAndOutOfRangeIsRefused() {
    assertTrue(new FaultPlan().mixed(0).rules().isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FaultPlan().mixed(1.5));
    assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("0..1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FaultPlan().mixed(Double.NaN));
  }
}
