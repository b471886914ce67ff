package io.scrapinghubio.beam.rows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.read.EmptySelection;
import io.scrapinghubio.beam.read.ReadConfig;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.schemas.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Infers a read's row schema at pipeline construction, from the launcher: the first
 * {@code recordsPerJob} records (one request each) of up to {@code jobs} selected jobs that have
 * records, newest first, spread over the selected spiders; at most {@value #JOBS_LOOKED_AT}× that
 * many jobs are looked at, so a selection of many empty jobs ends the search rather than reading
 * them all. A selection with no job, or with no record in the jobs looked at, is an error that
 * says what was not found: a schema guessed from nothing would make every record a failure.
 *
 * <p>Plumbing for {@code ScrapinghubRead.inferSchema()}, not API.
 */
@Internal
public final class SchemaSampler {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaSampler.class);
  /** Jobs looked at per job wanted, at most. */
  static final int JOBS_LOOKED_AT = 10;

  private final ReadConfig config;
  private final long project;
  private final JobQuery query;
  private final List<String> spiders;
  private final List<String> jobKeys;
  private final int jobs;
  private final int recordsPerJob;
  private final boolean sqlSafeNames;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * Samples the jobs a read selects: the jobs named, or else those of {@code project} that
   * {@code query} and {@code spiders} select.
   *
   * @param config the read's settings (connection, data type, filters)
   * @param project the project listed, when no job is named
   * @param query the job selection
   * @param spiders the spiders sampled, each its share; none: every spider
   * @param jobKeys the jobs named, {@code P/S/J}; none: list the project
   * @param jobs jobs with records to sample, at most
   * @param recordsPerJob records sampled from the start of each job
   * @param sqlSafeNames whether field names are made SQL-safe
   */
  public SchemaSampler(ReadConfig config, long project, JobQuery query, List<String> spiders, List<String> jobKeys,
      int jobs, int recordsPerJob, boolean sqlSafeNames) {
    this.config = config;
    this.project = project;
    this.query = query;
    this.spiders = spiders;
    this.jobKeys = jobKeys;
    this.jobs = jobs;
    this.recordsPerJob = recordsPerJob;
    this.sqlSafeNames = sqlSafeNames;
  }

  /**
   * Samples the jobs and infers their schema.
   *
   * @return the inferred schema
   * @throws IllegalArgumentException no job matches the selection, or the jobs looked at have no records
   */
  public Schema infer() {
    SchemaInference inference = new SchemaInference();
    List<String> sampled = new ArrayList<>();
    int lookedAt;
    try (ScrapinghubClient client = ScrapinghubClient.create(config.clientConfig())) {
      if (!jobKeys.isEmpty()) {
        lookedAt = sampleJobs(client, jobKeys, jobs, inference, sampled);
      } else {
        lookedAt = 0;
        List<String> each = spiders.isEmpty() ? Collections.singletonList(null) : spiders;
        for (int i = 0; i < each.size(); i++) {
          // an even share of the jobs wanted for each spider, so that every spider's fields are seen
          int share = Math.max(1, (jobs - sampled.size()) / (each.size() - i));
          lookedAt += sampleSpider(client, each.get(i), share, inference, sampled);
        }
      }
    }
    String selection = selection();
    if (lookedAt == 0) {
      throw new IllegalArgumentException("asRows() cannot infer a schema: no job matches " + selection
          + "; check the selection, or give the schema with asRows(schema)");
    }
    if (inference.records() == 0) {
      throw new IllegalArgumentException("asRows() cannot infer a schema: the " + lookedAt + " job(s) of " + selection
          + " looked at have no " + config.dataType().path() + (config.filters().isEmpty() ? "" : " matching the filters " + config.filters())
          + "; give the schema with asRows(schema)");
    }
    Schema schema = inference.schema(sqlSafeNames);
    LOG.info("Inferred the row schema of {} from {} {} of {} job(s) ({}):\n{}", selection, inference.records(),
        config.dataType().path(), sampled.size(), sampled.size() <= 10 ? String.join(", ", sampled) : sampled.subList(0, 10) + "...",
        RowSchemas.describe(schema));
    return schema;
  }

  /** Samples up to {@code want} jobs with records of {@code spider} (every spider's when null); returns the jobs looked at. */
  private int sampleSpider(ScrapinghubClient client, String spider, int want, SchemaInference inference, List<String> sampled) {
    JobQuery q = spider == null ? query : query.spider(spider);
    long cap = (long) want * JOBS_LOOKED_AT;
    q = q.limit(q.limit() > 0 ? Math.min(q.limit(), cap) : cap);
    List<String> keys = new ArrayList<>();
    for (JobSummary job : client.getProject(project).jobs().iter(q)) {
      keys.add(job.key().toString());
    }
    if (keys.isEmpty()) {
      // a typo'd project or spider fails here, naming it; a selection that is really empty is logged
      new EmptySelection(client, project).explain(spider, q);
    }
    return sampleJobs(client, keys, want, inference, sampled);
  }

  private int sampleJobs(ScrapinghubClient client, List<String> keys, int want, SchemaInference inference, List<String> sampled) {
    int lookedAt = 0;
    int found = 0;
    for (String k : keys) {
      if (found >= want || lookedAt >= want * JOBS_LOOKED_AT) {
        break;
      }
      lookedAt++;
      if (sampleJob(client, JobKey.parse(k), inference)) {
        sampled.add(k);
        found++;
      }
    }
    return lookedAt;
  }

  /** Adds the first page of the job's records; false when it had none. */
  private boolean sampleJob(ScrapinghubClient client, JobKey key, SchemaInference inference) {
    ReadSpec spec = ReadSpec.all(key, config.dataType())
        .withRange(0, recordsPerJob)
        .withPageSize(recordsPerJob)
        .withPrefetchPages(0)
        .withFilters(config.filters())
        .withKeepKey(false);
    boolean any = false;
    try (PagedReader reader = client.getJob(key).data(config.dataType()).reader(spec)) {
      while (reader.hasNext()) {
        JobRecord r = reader.next();
        JsonNode node;
        try {
          node = mapper.readTree(r.jsonBytes());
        } catch (IOException e) {
          throw new UncheckedIOException("record " + r.key() + " is not JSON", e);
        }
        inference.add(node);
        any = true;
      }
    }
    return any;
  }

  private String selection() {
    if (!jobKeys.isEmpty()) {
      return "jobs " + (jobKeys.size() <= 10 ? jobKeys.toString() : jobKeys.subList(0, 10) + " and " + (jobKeys.size() - 10) + " more");
    }
    return "project " + project + (spiders.isEmpty() ? "" : " spiders " + spiders) + " (" + query + ")";
  }
}
