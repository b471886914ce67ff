package io.scrapinghubio.examples;

import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The examples' flags are kebab-case, as the command line's ({@code --dash-endpoint},
 * {@code --idle-polls}), while Beam reads its options only in camelCase ({@code --flinkMaster}).
 * Every {@code --a-b-c[=value]} is read as {@code --aBC[=value]}, so each option, the examples'
 * and Beam's own, can be written either way, and an error names the flag as it was typed.
 */
final class ExampleArgs {
  private ExampleArgs() {}

  /** One command-line argument: as typed, and its option name in Beam's camelCase (null if not an option). */
  record Arg(String typed, String name, String value) {
    static Arg of(String typed) {
      if (!typed.startsWith("--") || typed.length() == 2) {
        return new Arg(typed, null, null);
      }
      int eq = typed.indexOf('=');
      String flag = eq < 0 ? typed.substring(2) : typed.substring(2, eq);
      return new Arg(typed, camel(flag), eq < 0 ? null : typed.substring(eq + 1));
    }

    boolean is(String camelName) {
      return camelName.equals(name);
    }

    /** The argument as Beam reads it. */
    String forBeam() {
      return name == null ? typed : "--" + name + (value == null ? "" : "=" + value);
    }
  }

  /** {@code dash-endpoint} to {@code dashEndpoint}; a name without dashes is left as it is. */
  static String camel(String flag) {
    StringBuilder b = new StringBuilder(flag.length());
    boolean upper = false;
    for (char c : flag.toCharArray()) {
      if (c == '-' && b.length() > 0) {
        upper = true;
      } else {
        b.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return b.toString();
  }

  /** {@code dashEndpoint} to {@code dash-endpoint}, for messages. */
  static String kebab(String camelName) {
    StringBuilder b = new StringBuilder(camelName.length() + 4);
    for (char c : camelName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Every argument as Beam reads it. */
  static String[] forBeam(List<Arg> args) {
    return args.stream().map(Arg::forBeam).toArray(String[]::new);
  }

  static List<Arg> parse(String[] args) {
    List<Arg> l = new ArrayList<>(args.length);
    for (String a : args) {
      l.add(Arg.of(a));
    }
    return l;
  }

  /** Whether {@code beamArgs} (camelCase) set the option {@code camelName}. */
  static boolean has(String[] beamArgs, String camelName) {
    for (String a : beamArgs) {
      if (a.equals("--" + camelName) || a.startsWith("--" + camelName + "=")) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern QUOTED_NAME = Pattern.compile("'([a-z][A-Za-z0-9]*)'");

  /**
   * The example's options from {@code beamArgs} ({@link ExampleEnvironment#beamArgs()}, and any more),
   * with embedded Flink kept on loopback ({@link LoopbackFlinkConfig}). A flag Beam does not know or
   * cannot parse fails with one line naming it in kebab-case and its value, instead of Beam's
   * camelCase message (which names the value alone, or the option in a spelling the user did not type).
   */
  static <T extends PipelineOptions> T options(String[] beamArgs, Class<T> type) {
    // Again here, so that arguments added after ExampleEnvironment may be kebab-case too.
    String[] args = LoopbackFlinkConfig.addTo(forBeam(parse(beamArgs)));
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      String culprit = culprit(args, type);
      if (culprit != null && culprit.contains("(value not shown)")) {
        // Beam's message may quote the value too: a mistyped key option must not put the key in a log.
        throw new IllegalArgumentException("bad option " + culprit + ": no such option (a key is read from SH_APIKEY "
            + "or the file --apikey-file names, never from an option)");
      }
      String why = firstLine(e.getMessage());
      Matcher m = QUOTED_NAME.matcher(why);
      StringBuilder readable = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(readable, Matcher.quoteReplacement("--" + kebab(m.group(1))));
      }
      m.appendTail(readable);
      throw new IllegalArgumentException((culprit == null ? "" : "bad option " + culprit + ": ") + readable, e);
    }
  }

  /** The first argument that fails alone, shown in kebab-case; null if none does on its own. */
  private static String culprit(String[] args, Class<? extends PipelineOptions> type) {
    for (String a : args) {
      try {
        PipelineOptionsFactory.fromArgs(a).as(type);
      } catch (IllegalArgumentException e) {
        Arg arg = Arg.of(a);
        if (arg.name == null) {
          return a;
        }
        boolean secret = arg.name.toLowerCase(java.util.Locale.ROOT).contains("key");
        return "--" + kebab(arg.name) + (arg.value == null ? "" : secret ? "=... (value not shown)" : "=" + arg.value);
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
