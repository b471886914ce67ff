package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The container's environment variables become {@link EmulatorMain}'s options. */
class EmulatorContainerMainTest {

  @Test
  void everyVariableBecomesItsOptionAndArgumentsComeLast() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/opt/java/openjdk/bin");
    env.put("EMULATOR_LATENCY_MS", "20");
    env.put("EMULATOR_BANDWIDTH_MBPS", "0.5");
    env.put("EMULATOR_LATENCY_JITTER_MS", "15");
    env.put("EMULATOR_PORT", "9000");
    env.put("EMULATOR_HOST", "0.0.0.0");
    env.put("EMULATOR_APIKEY", "k1, k2");
    env.put("EMULATOR_DEMO_JOBS", "3");
    env.put("EMULATOR_DEMO_ITEMS_PER_JOB", "50");
    env.put("EMULATOR_DEMO_PROJECT", "7");
    env.put("EMULATOR_SEED", "4");
    env.put("EMULATOR_GZIP", "false");
    List<String> args = EmulatorContainerMain.arguments(env, new String[] {"--port", "9001"});
    assertEquals(List.of("--port", "9000", "--host", "0.0.0.0", "--apikey", "k1", "--apikey", "k2", "--demo-jobs", "3",
        "--demo-items-per-job", "50", "--demo-project", "7", "--seed", "4", "--latency-ms", "20",
        "--latency-jitter-ms", "15", "--bandwidth-mbps", "0.5", "--no-gzip",
        "--port", "9001"), args);
    EmulatorMain.Options o = EmulatorMain.parse(args.toArray(new String[0]));
    assertEquals(9001, o.port, "an argument wins over the variable");
    assertEquals(List.of("k1", "k2"), o.keys);
    assertEquals(false, o.gzip);
    assertEquals(15, o.latencyJitterMs);
    assertEquals(0.5, o.bandwidthMbps);
  }

  @Test
  void emptyVariablesAndGzipTrueAddNothing() {
    assertEquals(List.of(), EmulatorContainerMain.arguments(Map.of("EMULATOR_PORT", " ", "EMULATOR_GZIP", "TRUE"), new String[0]));
  }

  @Test
  void misspeltVariablesAndBadSwitchesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorContainerMain.arguments(Map.of("EMULATOR_DEMOJOBS", "3"), new String[0]));
    assertTrue(e.getMessage().contains("EMULATOR_DEMOJOBS") && e.getMessage().contains("EMULATOR_DEMO_JOBS"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorContainerMain.arguments(Map.of("EMULATOR_GZIP", "no"), new String[0]));
    assertTrue(e.getMessage().contains("EMULATOR_GZIP"), e.getMessage());
  }

  /** A new option of the emulator needs a variable too: this fails until it has one. */
  @Test
  void everyOptionOfTheEmulatorHasAVariable() {
    TreeSet<String> options = new TreeSet<>();
    Matcher m = Pattern.compile("^\\s+(--[a-z-]+)", Pattern.MULTILINE).matcher(EmulatorMain.USAGE);
    while (m.find()) {
      options.add(m.group(1));
    }
    options.remove("--help");
    TreeSet<String> variables = new TreeSet<>();
    EmulatorContainerMain.VARIABLES.values().forEach(s -> variables.add(s.option()));
    assertEquals(options, variables);
  }
}
