package org.mycelium.sync.server;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The development server: serves the demo site at {@code /} and the library at {@code /dist/},
 * runs the {@code /signal} WebSocket (rooms, signaling and the relay: docs/SIGNALING.md),
 * answers {@code /healthz} and {@code /metrics}. Start it with {@code scripts/run.sh}, or from a test with
 * {@link #start(Options)} on port 0.
 */
public final class DevServer implements AutoCloseable {
  private final Javalin app;
  private final SignalHub hub;

  private DevServer(Javalin app, SignalHub hub) {
    this.app = app;
    this.hub = hub;
  }

  /** Command-line options; every one has an embedded default. */
  public record Options(String host, int port, Path root, SignalLimits signal, Keep keep) {
    /** Options with the default limits of {@code /signal} and no kept rooms. */
    public Options(String host, int port, Path root) {
      this(host, port, root, SignalLimits.defaults());
    }

    /** Options with no kept rooms. */
    public Options(String host, int port, Path root, SignalLimits signal) {
      this(host, port, root, signal, Keep.none());
    }

    /** The defaults: 127.0.0.1:7070, the repository found from the working directory. */
    public static Options defaults() {
      return new Options("127.0.0.1", 7070, findRoot(Path.of("").toAbsolutePath()));
    }

    /** Returns a copy listening on {@code newPort} (0 picks a free one). */
    public Options withPort(int newPort) {
      return new Options(host, newPort, root, signal, keep);
    }

    /** Returns a copy whose {@code /signal} endpoint has {@code limits}. */
    public Options withSignal(SignalLimits limits) {
      return new Options(host, port, root, limits, keep);
    }

    /** Returns a copy that keeps rooms as {@code keepOptions} says. */
    public Options withKeep(Keep keepOptions) {
      return new Options(host, port, root, signal, keepOptions);
    }
  }

  /**
   * The room keeper's options: which rooms may be kept ({@code --keep-rooms}: comma-separated
   * names, {@code prefix*} or {@code *}; empty: none), where their store lives
   * ({@code --data-dir}, created on first use) and after how many rows a room is compacted
   * into one snapshot ({@code --compact-after}).
   */
  public record Keep(String rooms, Path dataDir, int compactAfter) {
    /** Rows per room before compaction, by default. */
    public static final int DEFAULT_COMPACT_AFTER = 500;

    /** Checks the values. */
    public Keep {
      if (rooms == null || dataDir == null) {
        throw new IllegalArgumentException("rooms and dataDir must not be null");
      }
      if (compactAfter < 1) {
        throw new IllegalArgumentException("compactAfter must be at least 1, got " + compactAfter);
      }
    }

    /** No room is kept (the default); the data directory would be ./data. */
    public static Keep none() {
      return new Keep("", Path.of("data"), DEFAULT_COMPACT_AFTER);
    }

    /** Keeps the rooms {@code rooms} allows, stored under {@code dataDir}. */
    public static Keep rooms(String rooms, Path dataDir) {
      return new Keep(rooms, dataDir, DEFAULT_COMPACT_AFTER);
    }

    /** Returns a copy that compacts after {@code rows} rows. */
    public Keep withCompactAfter(int rows) {
      return new Keep(rooms, dataDir, rows);
    }
  }

  /**
   * Parses {@code --host H --port N --root DIR --keep-rooms PATTERN --data-dir DIR
   * --compact-after N}; throws IllegalArgumentException with a message.
   */
  static Options parse(String[] args) {
    Options o = Options.defaults();
    String host = o.host();
    int port = o.port();
    Path root = o.root();
    Keep keep = o.keep();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--host" -> host = v;
        case "--port" -> {
          try {
            port = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port needs a number, got " + v);
          }
          if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + v);
          }
        }
        case "--root" -> root = Path.of(v).toAbsolutePath().normalize();
        case "--keep-rooms" -> keep = new Keep(v, keep.dataDir(), keep.compactAfter());
        case "--data-dir" -> keep = new Keep(keep.rooms(), Path.of(v), keep.compactAfter());
        case "--compact-after" -> {
          int n;
          try {
            n = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--compact-after needs a number, got " + v);
          }
          if (n < 1) {
            throw new IllegalArgumentException("--compact-after must be at least 1, got " + v);
          }
          keep = keep.withCompactAfter(n);
        }
        default -> throw new IllegalArgumentException("unknown option " + a
            + " (options: --host, --port, --root, --keep-rooms, --data-dir, --compact-after)");
      }
    }
    return new Options(host, port, root, o.signal(), keep);
  }

  /** Walks up from {@code from} to the directory that holds demo-site/ (the repository root). */
  static Path findRoot(Path from) {
    for (Path p = from; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("demo-site"))) {
        return p;
      }
    }
    return from;
  }

  /** Starts a server with {@code options}; close it to stop. */
  public static DevServer start(Options options) {
    Path demo = options.root().resolve("demo-site");
    Path dist = options.root().resolve("dist");
    SignalHub hub = new SignalHub(options.signal());
    RoomKeeper.Rule rule = RoomKeeper.Rule.parse(options.keep().rooms());
    if (!rule.isEmpty()) {
      RoomStore store;
      try {
        store = SqliteRoomStore.open(options.keep().dataDir());
      } catch (RuntimeException e) {
        hub.close();
        throw e;
      }
      hub.keeper(new RoomKeeper(store, rule, options.keep().compactAfter(), new RoomKeeper.Net() {
        @Override
        public void relay(String room, String keeperId, String to, byte[] payload) {
          hub.keeperRelay(room, keeperId, to, payload);
        }

        @Override
        public void signal(String room, String keeperId, String to, com.fasterxml.jackson.databind.node.ObjectNode data) {
          hub.keeperSignal(room, keeperId, to, data);
        }
      }));
    }
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = demo.toString();
        s.location = Location.EXTERNAL;
      });
      config.staticFiles.add(s -> {
        s.hostedPath = "/dist";
        s.directory = dist.toString();
        s.location = Location.EXTERNAL;
        s.mimeTypes.add("application/wasm", "wasm");
        s.mimeTypes.add("text/javascript", "mjs");
      });
      config.routes.get("/healthz", ctx -> ctx.contentType("application/json")
          .result("{\"status\":\"ok\",\"dist\":" + Files.isRegularFile(dist.resolve("mycelium-sync.wasm")) + "}"));
      config.routes.get("/metrics", ctx -> ctx.contentType("application/json").result(hub.metrics()));
      config.routes.ws("/signal", ws -> {
        ws.onConnect(ctx -> hub.open(ctx.sessionId(), ctx.session));
        ws.onMessage(ctx -> hub.text(ctx.sessionId(), ctx.message()));
        ws.onBinaryMessage(ctx -> hub.binary(ctx.sessionId(), ctx.data()));
        ws.onClose(ctx -> hub.closed(ctx.sessionId(), ctx.status(), ctx.reason()));
        ws.onError(ctx -> hub.error(ctx.sessionId(), ctx.error()));
      });
    });
    try {
      app.start(options.host(), options.port());
    } catch (RuntimeException e) {
      hub.close();
      throw e;
    }
    return new DevServer(app, hub);
  }

  /** Returns the port the server listens on. */
  public int port() {
    return app.port();
  }

  /** Stops the server. */
  @Override
  public void close() {
    app.stop();
    hub.close();
  }

  /** Runs the server until the process is stopped. */
  public static void main(String[] args) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dev-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!Files.isRegularFile(options.root().resolve("dist/mycelium-sync.js"))) {
      System.err.println("dev-server: warning: " + options.root().resolve("dist")
          + " has no build; run scripts/run.sh or mvn package first");
    }
    DevServer server = start(options);
    System.out.println("MYCELIUM-SYNC dev server: http://" + options.host() + ":" + server.port() + "/");
    if (!options.keep().rooms().isBlank()) {
      System.out.println("keeping rooms " + options.keep().rooms() + " in "
          + options.keep().dataDir().toAbsolutePath().resolve(SqliteRoomStore.FILE));
    }
  }
}
