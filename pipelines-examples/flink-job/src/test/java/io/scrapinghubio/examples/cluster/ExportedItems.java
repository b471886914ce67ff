package io.scrapinghubio.examples.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.read.JobRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The two sides of an export, or of a follow, as multisets of JSON lines: what the service holds,
 * what the files hold.
 */
final class ExportedItems {

  /** Every item of every finished job of the project, as the service serves it (line → count). */
  static Map<String, Integer> inService(ClientConfig config, long project) {
    Map<String, Integer> items = new HashMap<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      for (JobSummary s : client.getProject(project).jobs().list(JobQuery.all().state("finished"))) {
        for (JobRecord r : client.getJob(s.key()).items().iter()) {
          items.merge(r.json(), 1, Integer::sum);
        }
      }
    }
    return items;
  }

  /** Every line of every file of the export's output directory (line → count). */
  static Map<String, Integer> inFiles(Path outputDirectory) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(outputDirectory)) {
      files = s.filter(Files::isRegularFile).collect(Collectors.toList()); // not the file sink's emptied .temp-beam folder
    }
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        lines.merge(line, 1, Integer::sum);
      }
    }
    return lines;
  }

  /**
   * Every item of every finished job of the project as a follow writes it: the item's JSON with its
   * {@code _key} and {@code _ts} (the time the service stored it), in {@link #canonical} form (line → count).
   */
  static Map<String, Integer> followedInService(ClientConfig config, long project) throws IOException {
    Map<String, Integer> items = new HashMap<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      for (JobSummary s : client.getProject(project).jobs().list(JobQuery.all().state("finished"))) {
        Job job = client.getJob(s.key());
        for (JobRecord r : job.items().iter(job.items().spec().withTimestamps(true))) {
          ObjectNode item = (ObjectNode) JSON.readTree(r.json());
          item.put("_key", r.key());
          item.put("_ts", r.timestamp());
          items.merge(canonical(item), 1, Integer::sum);
        }
      }
    }
    return items;
  }

  /** Every line of the follow's window files, in {@link #canonical} form (line → count). */
  static Map<String, Integer> followedInFiles(List<Path> files) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    for (Path f : files) {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        lines.merge(canonical(JSON.readTree(line)), 1, Integer::sum);
      }
    }
    return lines;
  }

  /** The JSON with every object's fields sorted by name: equal items compare equal whatever their fields' order. */
  private static String canonical(JsonNode json) throws IOException {
    return SORTED.writeValueAsString(JSON.treeToValue(json, Object.class));
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter SORTED = JSON.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  static long total(Map<String, Integer> multiset) {
    return multiset.values().stream().mapToLong(Integer::longValue).sum();
  }

  private ExportedItems() {}
}
