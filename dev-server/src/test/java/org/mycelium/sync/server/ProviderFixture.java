package org.mycelium.sync.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A dev server (pages, dist and /signal) on a free loopback port for the provider's browser tests. */
abstract class ProviderFixture {
  static DevServer server;
  static String base;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    base = TestServer.url(server, "");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** The signaling URL of the current server. */
  static String signaling() {
    return "ws://127.0.0.1:" + server.port() + "/signal";
  }
}
