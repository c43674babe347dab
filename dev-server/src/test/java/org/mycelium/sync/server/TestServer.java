package org.mycelium.sync.server;

import java.nio.file.Path;

/** A dev server on a free loopback port, serving this checkout's demo-site and dist. */
final class TestServer {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private TestServer() {
  }

  static DevServer start() {
    return DevServer.start(new DevServer.Options("127.0.0.1", 0, ROOT));
  }

  static String url(DevServer server, String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }
}
