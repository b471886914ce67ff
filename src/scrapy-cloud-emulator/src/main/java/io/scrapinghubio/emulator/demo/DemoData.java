package io.scrapinghubio.emulator.demo;

import java.util.List;

/**
 * What demo data to seed. Everything generated is a pure function of these settings (items, logs,
 * requests and samples are drawn from {@code seed}), so two emulators seeded alike serve the same
 * records.
 *
 * @param seed random seed
 * @param project project id (default {@value #DEFAULT_PROJECT}, the id the recordings use)
 * @param spiders spider names; jobs are spread over them round-robin
 * @param jobs number of finished jobs
 * @param itemsPerJob items per job (product-like, about 1.4 KB each on average)
 * @param logsPerJob log lines per job (mixed levels)
 * @param requestsPerJob request records per job
 * @param samplesPerJob stats samples per job
 */
public record DemoData(long seed, long project, List<String> spiders, int jobs, int itemsPerJob, int logsPerJob,
    int requestsPerJob, int samplesPerJob) {

  /** The project of the demo data by default: the id the recorded real traffic uses. */
  public static final long DEFAULT_PROJECT = 2222222L;
  /** The spiders the demo jobs are spread over by default. */
  public static final List<String> DEFAULT_SPIDERS = List.of("products", "reviews", "categories");
  /** Items per demo job by default, everywhere the emulator is configured (the table {@code EmulatorSetting} too). */
  public static final int DEFAULT_ITEMS_PER_JOB = 1000;

  /**
   * 20 jobs of {@value #DEFAULT_ITEMS_PER_JOB} items on project {@value #DEFAULT_PROJECT}.
   *
   * @return the defaults
   */
  public static DemoData defaults() {
    return new DemoData(1L, DEFAULT_PROJECT, DEFAULT_SPIDERS, 20, DEFAULT_ITEMS_PER_JOB, 50, 100, 5);
  }

  /**
   * The defaults with another job count and job size.
   *
   * @param jobs how many finished jobs
   * @param itemsPerJob items per job
   * @return the settings
   */
  public static DemoData of(int jobs, int itemsPerJob) {
    return defaults().withJobs(jobs).withItemsPerJob(itemsPerJob);
  }

  /**
   * The same settings with another random seed (other records).
   *
   * @param s the seed
   * @return the new settings
   */
  public DemoData withSeed(long s) {
    return new DemoData(s, project, spiders, jobs, itemsPerJob, logsPerJob, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings in another project.
   *
   * @param p the project id
   * @return the new settings
   */
  public DemoData withProject(long p) {
    return new DemoData(seed, p, spiders, jobs, itemsPerJob, logsPerJob, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings with other spiders.
   *
   * @param s spider names (copied)
   * @return the new settings
   */
  public DemoData withSpiders(List<String> s) {
    return new DemoData(seed, project, List.copyOf(s), jobs, itemsPerJob, logsPerJob, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings with another number of jobs.
   *
   * @param n finished jobs
   * @return the new settings
   */
  public DemoData withJobs(int n) {
    return new DemoData(seed, project, spiders, n, itemsPerJob, logsPerJob, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings with another job size.
   *
   * @param n items per job
   * @return the new settings
   */
  public DemoData withItemsPerJob(int n) {
    return new DemoData(seed, project, spiders, jobs, n, logsPerJob, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings with another number of log lines per job.
   *
   * @param n log lines per job
   * @return the new settings
   */
  public DemoData withLogsPerJob(int n) {
    return new DemoData(seed, project, spiders, jobs, itemsPerJob, n, requestsPerJob, samplesPerJob);
  }

  /**
   * The same settings with another number of request records per job.
   *
   * @param n request records per job
   * @return the new settings
   */
  public DemoData withRequestsPerJob(int n) {
    return new DemoData(seed, project, spiders, jobs, itemsPerJob, logsPerJob, n, samplesPerJob);
  }

  /**
   * The same settings with another number of stats samples per job.
   *
   * @param n stats samples per job
   * @return the new settings
   */
  public DemoData withSamplesPerJob(int n) {
    return new DemoData(seed, project, spiders, jobs, itemsPerJob, logsPerJob, requestsPerJob, n);
  }
}
