/**
 * Local Scrapy Cloud emulator: a real HTTP server speaking the Scrapy Cloud wire protocol, as strict
 * as the real service (requests never create projects or deploy spiders). Its remaining
 * differences from the real service, and the answers it chose where the recordings are silent,
 * are listed in the repository's {@code docs/emulator.md}.
 */
package io.scrapinghubio.emulator;
