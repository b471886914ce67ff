package io.scrapinghubio.cli.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.cli.console.RunFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a Flink cluster ({@code --flink-master}) for its task slots before anything is submitted,
 * through its REST API's {@code /overview}: a cluster that cannot be reached is one line naming the
 * option (Beam's submission fails after seconds with only "UnknownHostException: jobmanager"),
 * and a {@code --parallelism} above the cluster's slots is refused at once, where Flink would wait
 * for slots that never come and then fail the job.
 */
final class FlinkClusterCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private FlinkClusterCheck() {}

  /** The cluster's task slots, as its JobManager says; throws a {@link RunFailure} if it cannot be asked. */
  static int slots(String master) {
    URI overview = URI.create("http://" + master + "/overview");
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(overview).timeout(TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RunFailure("cannot reach the Flink cluster at --flink-master=" + master + " (GET " + overview + ": "
          + describe(e) + "): expected the REST address (host:port) of a running JobManager");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunFailure("interrupted while asking the Flink cluster at " + master + " for its slots");
    }
    JsonNode slots = null;
    if (response.statusCode() == 200) {
      try {
        slots = new ObjectMapper().readTree(response.body()).get("slots-total");
      } catch (IOException e) {
        // not JSON: reported below
      }
    }
    if (slots == null || !slots.canConvertToInt()) {
      throw new RunFailure("--flink-master=" + master + " did not answer GET /overview as a Flink JobManager does "
          + "(HTTP " + response.statusCode() + "): expected the REST address (host:port) of a running JobManager");
    }
    return slots.intValue();
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpConnectTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + TIMEOUT.toSeconds() + " s";
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof java.nio.channels.UnresolvedAddressException || root instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
