/**
 * Crawl simulation settings: how jobs scheduled on the emulator run. A package of its own because
 * both the store (which advances crawls) and the emulator's facade use it.
 */
package io.scrapinghubio.emulator.crawl;
