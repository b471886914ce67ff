package io.scrapinghubio.samples.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads every item of one Scrapy Cloud job with the client alone (no Beam) and prints how many
 * there are, how much JSON they make, and how many items carry each top-level field: a quick look
 * at what a spider produced.
 *
 * <pre>
 * SH_APIKEY=... java -cp ... io.scrapinghubio.samples.client.ItemsSummary 123/1/4
 * </pre>
 *
 * The key, and the endpoints when they are not Scrapy Cloud's ({@code SHUB_STORAGE},
 * {@code SHUB_APIURL}, e.g. an emulator's), come from the environment, as with the official
 * client.
 */
public final class ItemsSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ItemsSummary() {}

  /**
   * What one job's items hold.
   *
   * @param jobKey the job, {@code project/spider/job}
   * @param items how many items it has
   * @param jsonBytes their stored JSON, in bytes (UTF-8)
   * @param fields for each top-level field name, how many items have it
   */
  public record Summary(String jobKey, long items, long jsonBytes, SortedMap<String, Long> fields) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder()
          .append("job ").append(jobKey).append(": ").append(items).append(" items, ")
          .append(jsonBytes).append(" bytes of JSON");
      if (!fields.isEmpty()) {
        s.append("; fields:");
        fields.forEach((name, count) -> s.append(' ').append(name).append(" (").append(count).append(')'));
      }
      return s.toString();
    }
  }

  /**
   * Streams the job's items page by page (memory stays bounded however large the job is; the
   * client retries and resumes where a page broke off) and summarises them.
   *
   * @param client a client for the project's endpoints and key
   * @param jobKey the job, {@code project/spider/job}
   * @return the summary of its items
   */
  public static Summary summarize(ScrapinghubClient client, String jobKey) {
    long items = 0;
    long bytes = 0;
    SortedMap<String, Long> fields = new TreeMap<>();
    for (JobRecord item : client.getJob(jobKey).items().iter()) {
      byte[] json = item.jsonBytes();
      items++;
      bytes += json.length;
      try {
        JsonNode node = JSON.readTree(json);
        node.fieldNames().forEachRemaining(name -> fields.merge(name, 1L, Long::sum));
      } catch (IOException e) {
        throw new UncheckedIOException("item " + item.key() + " is not JSON", e);
      }
    }
    return new Summary(jobKey, items, bytes, Collections.unmodifiableSortedMap(fields));
  }

  /**
   * Prints the summary of the job given as the only argument.
   *
   * @param args one job key, {@code project/spider/job}
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ItemsSummary PROJECT/SPIDER/JOB (key in SH_APIKEY)");
      System.exit(2);
    }
    try (ScrapinghubClient client = ScrapinghubClient.fromEnvironment()) {
      System.out.println(summarize(client, args[0]));
    }
  }
}
