package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The command line's image (src/scrapinghub-cli/docker) against the emulator's container: both in
 * the host's network (the CI engine has no bridge network, see {@link EmulatorImageUnderTest}), so
 * the CLI reaches the emulator at its loopback URL, which it accepts as an emulator's endpoint
 * without a separate dash endpoint. The key goes to the CLI as {@code SH_APIKEY} in its
 * environment only. More than 8 demo jobs, so the export starts embedded Flink's cluster in the
 * container, not only its in-process executor: the JDK modules Flink needs must be in the image.
 */
@ExtendWith({EmulatorImageUnderTest.class, CliImageOverContainerTest.CliImageUnderTest.class})
@Testcontainers
class CliImageOverContainerTest {
  private static final String KEY = "5c1e5c1e5c1e5c1e5c1e5c1e5c1e5c1e";
  private static final int JOBS = 10;
  private static final int ITEMS_PER_JOB = 250;
  /** Start, export and exit of one CLI container; about 10 s here. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  @Container
  static final ScrapyCloudEmulatorContainer EMULATOR = EmulatorImageUnderTest.container()
      .withApiKey(KEY).withDemoData(JOBS, ITEMS_PER_JOB);

  /** Every item of every demo job as the client reads it from the emulator, sorted (a multiset). */
  private static List<String> expectedItems;

  @BeforeAll
  static void readItemsWithTheClient() {
    List<String> items = new ArrayList<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(EMULATOR.clientConfig())) {
      List<JobSummary> jobs = client.getProject(EMULATOR.getDemoProject()).jobs().list(JobQuery.all());
      assertEquals(JOBS, jobs.size(), jobs.toString());
      for (JobSummary s : jobs) {
        for (JobRecord item : client.getJob(s.key()).items().iter()) {
          items.add(item.json());
        }
      }
    }
    assertEquals(JOBS * ITEMS_PER_JOB, items.size());
    items.sort(null);
    expectedItems = items;
  }

  @Test
  void exportsEveryItemToStandardOutput() {
    Run run = runCli(c -> c, "export", "--project=" + EMULATOR.getDemoProject(),
        "--endpoint=" + EMULATOR.getStorageUrl(), "--output=-");

    assertEquals(0, run.exitCode(), run::describe);
    assertSameItems(run.stdout().lines().collect(Collectors.toList()), "the container's standard output");
    assertTrue(run.stderr().contains("Exported " + JOBS + " jobs, 2,500 items"), run::describe);
    assertKeyNowhere(run);
  }

  @Test
  void exportsIntoABindMountedDataFolderAsTheImagesNonRootUser(@TempDir Path dir) throws IOException {
    InspectImageResponse image = dockerClient().inspectImageCmd(CliImageUnderTest.image()).exec();
    String user = image.getConfig().getUser();
    assertEquals("10001:10001", user, "the image's user");
    assertEquals("/data", image.getConfig().getWorkingDir());
    // The image's user owns /data in the image; a host folder mounted there must let it write.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    // A relative --output lands in the working folder, /data.
    // Testcontainers' withFileSystemBind would first try to pull a helper image (no registry here):
    // the bind goes straight into the container's host configuration instead.
    Run run = runCli(c -> c.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(dir.toString(), new Volume("/data"), AccessMode.rw))),
        "export", "--project=" + EMULATOR.getDemoProject(), "--endpoint=" + EMULATOR.getStorageUrl(), "--output=out");

    assertEquals(0, run.exitCode(), run::describe);
    assertTrue(run.stdout().contains("Exported " + JOBS + " jobs, 2,500 items") && run.stdout().contains("/data/out"),
        run::describe);
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(List.of("out"), entries.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "only the published output, no staging folder left in " + dir);
    }
    Path out = dir.resolve("out");
    assertEquals(10001, Files.getAttribute(out, "unix:uid"), "owner of " + out);
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path part : files.sorted().collect(Collectors.toList())) {
        // the parts a resumable export commits: part-<writer>-<n>.jl, and nothing else
        assertTrue(part.getFileName().toString().matches("part-[0-9a-f]{8}-\\d{5}\\.jl"), part.toString());
        assertEquals(10001, Files.getAttribute(part, "unix:uid"), "owner of " + part);
        lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
      }
    }
    assertSameItems(lines, "the files in " + out);
    assertKeyNowhere(run);
  }

  @Test
  void anotherKeyIsRefusedWithoutPrintingIt() {
    String wrong = "0badc0de0badc0de0badc0de0badc0de";
    Run run = runCli(c -> c.withEnv("SH_APIKEY", wrong), "export", "--project=" + EMULATOR.getDemoProject(),
        "--endpoint=" + EMULATOR.getStorageUrl(), "--output=-");

    assertEquals(1, run.exitCode(), run::describe);
    assertEquals("", run.stdout(), run::describe);
    assertFalse(run.stderr().isBlank(), run::describe);
    assertFalse(run.stderr().contains(wrong), run::describe);
    assertFalse(run.inspected().getArgs() != null && Arrays.asList(run.inspected().getArgs()).contains(wrong),
        "the key is not an argument");
  }

  /** What one CLI container did: its exit code, output streams, and how it was run. */
  record Run(long exitCode, String stdout, String stderr, InspectContainerResponse inspected) {
    String describe() {
      return "exit code " + exitCode + "\n--- stderr:\n" + tail(stderr) + "\n--- stdout:\n" + tail(stdout);
    }

    private static String tail(String s) {
      return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
    }
  }

  /** Runs the CLI image with these arguments and the emulator's key in SH_APIKEY, until it exits. */
  private static Run runCli(Function<GenericContainer<?>, GenericContainer<?>> setup, String... args) {
    try (GenericContainer<?> cli = new GenericContainer<>(DockerImageName.parse(CliImageUnderTest.image()))) {
      cli.withNetworkMode("host").withEnv("SH_APIKEY", KEY).withCommand(args)
          .withStartupCheckStrategy(new UntilExited().withTimeout(RUN_TIMEOUT));
      setup.apply(cli).start();
      InspectContainerResponse inspected = cli.getDockerClient().inspectContainerCmd(cli.getContainerId()).exec();
      Long exitCode = inspected.getState().getExitCodeLong();
      return new Run(exitCode == null ? -1 : exitCode, cli.getLogs(OutputFrame.OutputType.STDOUT),
          cli.getLogs(OutputFrame.OutputType.STDERR), inspected);
    }
  }

  /** The lines are the items the client read from the emulator, each as many times (order aside). */
  private static void assertSameItems(List<String> actual, String where) {
    List<String> sorted = new ArrayList<>(actual);
    sorted.sort(null);
    assertEquals(expectedItems.size(), sorted.size(), "number of lines in " + where);
    for (int i = 0; i < sorted.size(); i++) {
      if (!sorted.get(i).equals(expectedItems.get(i))) {
        fail("the lines of " + where + " differ from the emulator's items at sorted position " + i + ":\n  expected "
            + expectedItems.get(i) + "\n  but was  " + sorted.get(i));
      }
    }
  }

  /** The key went to the container as an environment variable only: in no argument, output or image setting. */
  private static void assertKeyNowhere(Run run) {
    assertFalse(run.stdout().contains(KEY), "the key in the container's stdout");
    assertFalse(run.stderr().contains(KEY), "the key in the container's stderr");
    InspectContainerResponse c = run.inspected();
    List<String> commandLine = new ArrayList<>();
    commandLine.add(c.getPath());
    commandLine.addAll(Arrays.asList(c.getArgs()));
    commandLine.addAll(Arrays.asList(c.getConfig().getCmd()));
    assertTrue(commandLine.stream().noneMatch(a -> a.contains(KEY)), "the key in the command line " + commandLine);
    assertTrue(Arrays.asList(c.getConfig().getEnv()).contains("SH_APIKEY=" + KEY), "the key was passed in the environment");
    String[] imageEnv = dockerClient().inspectImageCmd(CliImageUnderTest.image()).exec().getConfig().getEnv();
    List<String> imageVariables = imageEnv == null ? List.of() : Arrays.asList(imageEnv);
    assertTrue(imageVariables.stream().noneMatch(v -> v.startsWith("SH_APIKEY=") || v.startsWith("SHUB_APIKEY=")),
        "no key variable in the image: " + imageVariables);
    String user = c.getConfig().getUser();
    assertTrue(user != null && user.matches("[1-9]\\d*(:\\d+)?"), "the container runs as a non-root user, not '" + user + "'");
  }

  private static DockerClient dockerClient() {
    return DockerClientFactory.instance().client();
  }

  /** Ready once the container has exited, whatever its exit code: the tests check that code themselves. */
  private static final class UntilExited extends StartupCheckStrategy {
    @Override
    public StartupStatus checkStartupState(DockerClient docker, String containerId) {
      return Boolean.TRUE.equals(getCurrentState(docker, containerId).getRunning())
          ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
    }
  }

  /**
   * The CLI image these tests run: the one named by {@value #VARIABLE}, which {@code .ci/run}
   * builds from this commit (src/scrapinghub-cli/docker/build-cli-image.sh) and exports. As for the
   * emulator's image: skipped without it on a developer's machine, a failure in CI ({@code CI=true}).
   */
  static final class CliImageUnderTest implements ExecutionCondition {
    static final String VARIABLE = "SCRAPINGHUB_CLI_IMAGE";

    static String image() {
      return System.getenv(VARIABLE);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      String image = image();
      if (image != null && !image.isBlank()) {
        return ConditionEvaluationResult.enabled("CLI image " + image);
      }
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("CI=true but " + VARIABLE + " is not set: .ci/run builds the CLI's image, "
            + "starts a Docker engine and exports it; container tests must run in CI, not be skipped");
      }
      return ConditionEvaluationResult.disabled(VARIABLE + " is not set: build the image with "
          + "src/scrapinghub-cli/docker/build-cli-image.sh and export " + VARIABLE + "=<its tag> to run these tests");
    }
  }
}
