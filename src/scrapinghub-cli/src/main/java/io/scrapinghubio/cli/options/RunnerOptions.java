package io.scrapinghubio.cli.options;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** Where the pipeline runs, and Beam's own options for those who need them. */
public final class RunnerOptions {
  /** The runners this jar carries. */
  public enum Runner {
    direct, flink
  }

  @Option(names = "--runner", paramLabel = "direct|flink", defaultValue = "flink",
      description = "flink: an embedded Flink cluster in this JVM, or the cluster of --flink-master; "
          + "direct: Beam's Direct runner, a test runner (default: ${DEFAULT-VALUE})")
  public Runner runner;

  @Option(names = "--flink-master", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "Run on this Flink cluster (its JobManager's REST address); the output directory must then be "
          + "shared, at the same path, by the cluster's workers and this machine (default: embedded Flink)")
  public String flinkMaster;

  @Option(names = "--parallelism", paramLabel = "N", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Parallel workers (default: for embedded Flink twice the cores, since reads wait on the network "
          + "more than on the CPU, each worker streaming four pages at once with at most 16 MiB held; at most "
          + RunnerOptions.MAX_EMBEDDED_PARALLELISM + " in one JVM; one for an export small enough to run without starting "
          + "a Flink cluster; the cluster's own for --flink-master; every core for the Direct runner)")
  public Integer parallelism;

  /**
   * Embedded Flink's slots share one JVM's heap and network buffers: --parallelism=2000 ran out of
   * both (hung with "Insufficient number of network buffers"). 64 runs in -Xmx1g.
   */
  public static final int MAX_EMBEDDED_PARALLELISM = 64;

  /** Embedded Flink's default: twice the cores (reads wait on the network), within the bound. */
  public static int defaultEmbeddedParallelism() {
    return Math.min(MAX_EMBEDDED_PARALLELISM, 2 * Runtime.getRuntime().availableProcessors());
  }

  @Parameters(paramLabel = "BEAM_OPTION",
      description = "Beam pipeline options, after --, passed through as they are (default: none)")
  public List<String> beamOptions = new ArrayList<>();

  /** Whether the pipeline runs in another JVM (so this one sees no live progress). */
  public boolean remote() {
    return flinkMaster != null;
  }

  /** Whether the pipeline runs on Flink, embedded or on a cluster. */
  public boolean onFlink() {
    return flink();
  }

  /**
   * Whether the run is embedded Flink as the command sets it up, the user having chosen nothing
   * about it (no --parallelism, no Beam options after --): only then may a command choose how
   * Flink runs inside this JVM.
   */
  public boolean embeddedFlinkByDefault() {
    return runner == Runner.flink && flinkMaster == null && parallelism == null && beamOptions.isEmpty();
  }

  private boolean flink() {
    return runner == Runner.flink || flinkMaster != null;
  }

  /**
   * The Beam arguments these options make, then the passed-through ones. Embedded Flink by
   * default, because the export benchmark (benchmarks/results/export.md) measured it one to two
   * orders of magnitude faster than Beam's Direct runner, which is a test runner: it re-encodes
   * and checks every element and runs bundles through a timer loop. With Flink,
   * {@code --fasterCopy} hands elements between chained steps without a coder round trip; safe
   * because no step of these pipelines mutates its input.
   */
  public List<String> beamArgs(CommandSpec spec) {
    if (runner == Runner.direct && flinkMaster != null) {
      throw new ParameterException(spec.commandLine(), "--flink-master=" + flinkMaster
          + " runs on Flink but --runner=direct was given: expected --runner=flink or no --flink-master");
    }
    for (String o : beamOptions) {
      if (!o.startsWith("--") || o.length() < 3) {
        throw new ParameterException(spec.commandLine(), "unexpected argument '" + o
            + "': expected Beam pipeline options after -- in the form --name=value");
      }
      if (o.startsWith("--runner=") || o.equals("--runner") || o.startsWith("--flinkMaster")) {
        throw new ParameterException(spec.commandLine(), "Beam option " + o
            + " is set by this command: expected --runner direct|flink or --flink-master HOST:PORT before --");
      }
    }
    List<String> args = new ArrayList<>();
    if (flink()) {
      args.add("--runner=FlinkRunner");
      if (flinkMaster != null) {
        args.add("--flinkMaster=" + flinkMaster);
      }
      if (parallelism != null) {
        if (flinkMaster == null && parallelism > MAX_EMBEDDED_PARALLELISM) {
          throw new ParameterException(spec.commandLine(), "--parallelism=" + parallelism + " is more than embedded "
              + "Flink runs in one JVM: expected 1.." + MAX_EMBEDDED_PARALLELISM + " (a cluster: --flink-master)");
        }
        args.add("--parallelism=" + parallelism);
      } else if (flinkMaster == null && beamOptions.stream().noneMatch(o -> o.startsWith("--parallelism"))) {
        // Measured (benchmarks/results/export.md): at 100 ms per request 2x the cores exported 17% faster
        // than 1x, at 0 ms 10% slower; a real service is far away, so the network sets the default.
        args.add("--parallelism=" + defaultEmbeddedParallelism());
      }
      if (beamOptions.stream().noneMatch(o -> o.startsWith("--fasterCopy"))) {
        args.add("--fasterCopy=true");
      }
    } else {
      args.add("--runner=DirectRunner");
      if (parallelism != null) {
        args.add("--targetParallelism=" + parallelism);
      }
    }
    args.addAll(beamOptions);
    return args;
  }

  /** The cluster of --flink-master, if any, answers, and has the slots --parallelism asks for. */
  private void checkCluster(CommandSpec spec) {
    if (flinkMaster == null) {
      return;
    }
    int slots = FlinkClusterCheck.slots(flinkMaster);
    if (parallelism != null && parallelism > slots) {
      throw new ParameterException(spec.commandLine(), "--parallelism=" + parallelism + " is more than the "
          + slots + " task slots of the Flink cluster at " + flinkMaster + ": expected 1.." + slots
          + " (or more TaskManagers on the cluster)");
    }
  }

  /** Beam's options, checked by Beam; a bad passed-through option is a usage error. */
  public PipelineOptions pipelineOptions(CommandSpec spec) {
    return pipelineOptions(spec, List.of());
  }

  /**
   * As {@link #pipelineOptions(CommandSpec)}, with {@code defaults} ({@code --name=value}) added
   * for each Beam option the user did not pass after {@code --}: a command's own settings (a
   * streaming run's checkpoints) that a user may still override.
   */
  public PipelineOptions pipelineOptions(CommandSpec spec, List<String> defaults) {
    List<String> args = beamArgs(spec);
    checkCluster(spec);
    for (String d : defaults) {
      String name = d.substring(0, d.indexOf('='));
      if (beamOptions.stream().noneMatch(o -> o.equals(name) || o.startsWith(name + "="))) {
        args.add(d);
      }
    }
    return parse(spec, args);
  }

  /**
   * As {@link #pipelineOptions(CommandSpec)}, Beam's part in the background when no Beam option of
   * the user's is given: Beam's options registry takes a CPU-second or more to initialise, which
   * then overlaps what the command does meanwhile. With Beam options of the user's, whose errors
   * are usage errors that must come before anything starts, the options are parsed now. The
   * command's own options are checked now either way.
   *
   * <p>The command must not touch Beam's classes before calling {@code get()}: a class being
   * initialised by both threads could deadlock.
   */
  public Supplier<PipelineOptions> pipelineOptionsInBackground(CommandSpec spec) {
    List<String> args = beamArgs(spec);
    checkCluster(spec);
    if (!beamOptions.isEmpty()) {
      PipelineOptions options = parse(spec, args);
      return () -> options;
    }
    FutureTask<PipelineOptions> parse = new FutureTask<>(() -> parse(spec, args));
    Thread t = new Thread(parse, "scrapinghub-cli-beam-options");
    t.setDaemon(true);
    t.start();
    return () -> {
      try {
        return parse.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Beam's options were being parsed", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    };
  }

  private PipelineOptions parse(CommandSpec spec, List<String> args) {
    try {
      // An embedded Flink cluster serves its REST API and blob server on 127.0.0.1 only (a user's
      // own --flinkConfDir, FLINK_CONF_DIR or a remote master is left alone).
      String[] withLoopback = io.scrapinghubio.beam.flink.LoopbackFlinkConfig.addTo(args.toArray(new String[0]));
      return PipelineOptionsFactory.fromArgs(withLoopback).withValidation().create();
    } catch (IllegalArgumentException e) {
      java.util.regex.Matcher unknown = java.util.regex.Pattern.compile("missing a property named '([^']+)'")
          .matcher(String.valueOf(e.getMessage()));
      if (unknown.find()) {
        throw new ParameterException(spec.commandLine(), "--" + unknown.group(1) + " is not a Beam pipeline option "
            + "of Beam or of the " + (flink() ? "Flink" : "Direct") + " runner: expected one of their options, "
            + "after --");
      }
      throw new ParameterException(spec.commandLine(), "bad Beam pipeline option: " + e.getMessage());
    }
  }

  /** What runs the pipeline: "embedded Flink", "the Flink cluster at host:8081" or "Beam's Direct runner". */
  public String engine() {
    return flinkMaster != null ? "the Flink cluster at " + flinkMaster
        : runner == Runner.flink ? "embedded Flink" : "Beam's Direct runner";
  }

  /** e.g. "embedded Flink, parallelism 4" or "the Flink cluster at host:8081". */
  public String describe() {
    String where = engine();
    if (parallelism == null && flinkMaster == null && runner == Runner.flink
        && beamOptions.stream().noneMatch(o -> o.startsWith("--parallelism"))) {
      return where + ", parallelism " + defaultEmbeddedParallelism() + " (twice the cores: reads wait on the network)";
    }
    return where + (parallelism == null ? "" : ", parallelism " + parallelism);
  }
}
