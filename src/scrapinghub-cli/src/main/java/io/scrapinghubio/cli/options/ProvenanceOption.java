package io.scrapinghubio.cli.options;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --with=key,job,spider,ts}: the provenance fields added to each line, named as the
 * {@code follow} lines and the storage API name theirs ({@code _key}, {@code _ts}).
 */
public final class ProvenanceOption {
  /** A field {@code --with} can add, in the order the fields come first on each line. */
  public enum Field {
    /** {@code _key}: the record's key, {@code P/S/J/N}. */
    key("_key"),
    /** {@code _job}: its job's key, {@code P/S/J}. */
    job("_job"),
    /** {@code _spider}: the name of its job's spider (not the numeric id in the keys). */
    spider("_spider"),
    /** {@code _ts}: when the service stored it, epoch milliseconds (items, logs and requests only). */
    ts("_ts");

    private final String jsonName;

    Field(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The name of the field on each line, e.g. {@code _spider}. */
    public String jsonName() {
      return jsonName;
    }
  }

  @Option(names = "--with", paramLabel = "FIELD[,FIELD...]", split = ",",
      description = "Add provenance fields first on each line: key (_key, project/spider/job/index), job (_job, "
          + "project/spider/job), spider (_spider, the spider's name), ts (_ts, when Scrapy Cloud stored the record, "
          + "epoch ms). Not for samples, whose records are arrays. follow's lines always start with _key and _ts. A "
          + "record that already has one of these fields fails the command rather than lose its own value "
          + "(default: none)")
  List<String> with = new ArrayList<>();

  /**
   * The fields asked for, in line order; one line naming a bad value and the accepted ones otherwise.
   *
   * @param samples whether the command reads samples, which are JSON arrays without a store time
   */
  public Set<Field> fields(CommandSpec spec, boolean samples) {
    Set<Field> out = EnumSet.noneOf(Field.class);
    for (String name : with) {
      String n = name.strip().toLowerCase(Locale.ROOT);
      Field f = java.util.Arrays.stream(Field.values()).filter(v -> v.name().equals(n)).findFirst().orElse(null);
      if (f == null) {
        throw new ParameterException(spec.commandLine(), "--with=" + String.join(",", with) + ": '" + name
            + "' is not a field it adds; expected some of " + accepted());
      }
      out.add(f);
    }
    if (samples && !out.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--with adds fields to JSON objects, and samples are JSON arrays "
          + "(without a store time): expected --with only with --data-type=items, logs or requests");
    }
    return out;
  }

  private static String accepted() {
    return java.util.Arrays.stream(Field.values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
