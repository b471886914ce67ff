package io.scrapinghubio.emulator.testcontainers;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The image these tests run: the one named by {@value #VARIABLE}, which {@code .ci/run} builds from
 * this commit (src/scrapy-cloud-emulator/docker/build-emulator-image.sh) and exports. Without it the
 * container tests are skipped on a developer's machine, and fail in CI ({@code CI=true}), where a
 * skipped container test would prove nothing.
 *
 * <p>The tests run the container in the host's network: the CI engine has no bridge network.
 */
final class EmulatorImageUnderTest implements ExecutionCondition {
  static final String VARIABLE = "SCRAPY_CLOUD_EMULATOR_IMAGE";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String image = System.getenv(VARIABLE);
    if (image != null && !image.isBlank()) {
      return ConditionEvaluationResult.enabled("emulator image " + image);
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but " + VARIABLE + " is not set: .ci/run builds the emulator's image, "
          + "starts a Docker engine and exports it; container tests must run in CI, not be skipped");
    }
    return ConditionEvaluationResult.disabled(VARIABLE + " is not set: build the image with "
        + "src/scrapy-cloud-emulator/docker/build-emulator-image.sh and export " + VARIABLE + "=<its tag> to run these tests");
  }

  /** A new container of the image under test, in the host's network. */
  static ScrapyCloudEmulatorContainer container() {
    return new ScrapyCloudEmulatorContainer(System.getenv(VARIABLE)).withHostNetwork();
  }

  private EmulatorImageUnderTest() {}
}
