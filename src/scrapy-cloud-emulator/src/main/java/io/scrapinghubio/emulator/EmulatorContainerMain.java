package io.scrapinghubio.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Entry point of the emulator's container image ({@code src/scrapy-cloud-emulator/docker/Dockerfile}):
 * {@link EmulatorMain}'s options from environment variables, the way containers are configured
 * (compose files, Kubernetes, Testcontainers' {@code withEnv}), followed by the container's
 * arguments, which win because {@link EmulatorMain} keeps the last value of an option.
 *
 * <pre>
 * docker run --network host -e EMULATOR_PORT=8080 -e EMULATOR_APIKEY=KEY -e EMULATOR_DEMO_JOBS=20 IMAGE
 * docker run --network host IMAGE --port 8080 --apikey KEY --demo-jobs 20      (the same)
 * </pre>
 *
 * A variable that starts with {@code EMULATOR_} but is not one of {@link #VARIABLES} stops the
 * container with an error: a misspelt setting must not leave the emulator running with a default.
 */
public final class EmulatorContainerMain {
  private EmulatorContainerMain() {}

  /** Prefix of the variables read here. */
  static final String PREFIX = EmulatorSetting.VARIABLE_PREFIX;

  /**
   * Variable → the option it stands for, one per {@link EmulatorSetting}. Lists (keys, projects,
   * spiders) are comma-separated; the switch ({@code EMULATOR_GZIP}) is true or false.
   */
  static final Map<String, EmulatorSetting> VARIABLES = variables();

  private static Map<String, EmulatorSetting> variables() {
    Map<String, EmulatorSetting> m = new LinkedHashMap<>();
    for (EmulatorSetting s : EmulatorSetting.values()) {
      m.put(s.variable(), s);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Runs the emulator as the container's process, configured by the image's {@code EMULATOR_*}
   * variables (then the arguments), until the container stops.
   *
   * @param args arguments added to those the variables give
   * @throws InterruptedException never in practice: the process serves until it is killed
   */
  public static void main(String[] args) throws InterruptedException {
    List<String> all;
    try {
      all = arguments(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmulatorMain.main(all.toArray(new String[0]));
  }

  /**
   * The options the variables stand for, in {@link #VARIABLES} order, then {@code args}. Empty
   * variables count as unset.
   *
   * @throws IllegalArgumentException for an unknown {@code EMULATOR_} variable or a bad
   *     {@code EMULATOR_GZIP}; values are checked by {@link EmulatorMain}, which names the option
   */
  static List<String> arguments(Map<String, String> env, String[] args) {
    TreeSet<String> unknown = new TreeSet<>();
    for (String name : env.keySet()) {
      if (name.startsWith(PREFIX) && !VARIABLES.containsKey(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown variable(s) " + unknown + "; the emulator reads " + VARIABLES.keySet());
    }
    List<String> out = new ArrayList<>();
    VARIABLES.forEach((name, setting) -> {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return;
      }
      value = value.strip();
      if (setting.isSwitch()) {
        // The variable says the setting's value; the option only turns the default (true) off.
        if (value.equalsIgnoreCase("false")) {
          out.add(setting.option());
        } else if (!value.equalsIgnoreCase("true")) {
          throw new IllegalArgumentException(name + " must be true or false, not " + value);
        }
      } else if (setting.isRepeatable()) {
        for (String one : value.split(",")) {
          if (!one.isBlank()) {
            out.add(setting.option());
            out.add(one.strip());
          }
        }
      } else {
        out.add(setting.option());
        out.add(value);
      }
    });
    out.addAll(Arrays.asList(args));
    return out;
  }
}
