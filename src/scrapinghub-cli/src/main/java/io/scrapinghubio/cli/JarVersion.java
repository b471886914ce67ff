package io.scrapinghubio.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the executable jar's manifest was built with. */
final class JarVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = ScrapinghubCli.class.getPackage().getImplementationVersion();
    return new String[] {"scrapinghub-io " + (v == null ? "(development build)" : v)};
  }
}
