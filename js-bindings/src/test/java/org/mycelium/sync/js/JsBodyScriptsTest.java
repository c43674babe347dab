package org.mycelium.sync.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds every {@code @JSBody} script of this module to one rule: a name the script declares
 * itself (a {@code var}/{@code let}/{@code const}, an inner function or its parameters, a
 * {@code catch} variable) is at least three characters long.
 *
 * <p>TeaVM 0.16's minifier renames a script's parameters to {@code b}, {@code c}, {@code d}, ...
 * and leaves the names the script declares as they are. {@code Js.answer(pc, offer, fn)} declared
 * {@code var d = pc.localDescription}, and its {@code fn} became {@code d}: the minified JS build
 * called the description ("d is not a function") and never sent a WebRTC answer, and
 * {@code Js.candidate(o, k)} declared {@code var c}, which hid {@code k} (now {@code c}) and read
 * every remote ICE candidate as malformed. The wasm-gc build keeps the names and worked. The
 * browser test {@code ProviderBrowserTest.twoBrowsers_onTheJsFallback_openADataChannel_andConvergeOverWebrtc}
 * shows the effect; this test catches the cause before a browser runs.
 */
class JsBodyScriptsTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern ANNOTATION = Pattern.compile("@JSBody\\s*\\(");
  private static final Pattern SCRIPT = Pattern.compile("script\\s*=\\s*");
  private static final Pattern LITERAL = Pattern.compile("\\s*\\+?\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern VARIABLE = Pattern.compile("\\b(?:var|let|const)\\s+([\\w$]+)");
  private static final Pattern FUNCTION = Pattern.compile("\\bfunction\\s*([\\w$]*)\\s*\\(([^)]*)\\)");
  private static final Pattern CATCH = Pattern.compile("\\bcatch\\s*\\(\\s*([\\w$]+)");
  private static final Pattern ARROW = Pattern.compile("([\\w$]+)\\s*=>|\\(([^()]*)\\)\\s*=>");

  /** The script of every @JSBody in {@code source}, its string literals joined. */
  static List<String> scripts(String source) {
    List<String> out = new ArrayList<>();
    Matcher a = ANNOTATION.matcher(source);
    while (a.find()) {
      Matcher s = SCRIPT.matcher(source);
      assertTrue(s.find(a.end()), "a @JSBody without script at " + a.start());
      StringBuilder script = new StringBuilder();
      Matcher l = LITERAL.matcher(source);
      int at = s.end();
      while (l.find(at) && l.start() == at) {
        script.append(l.group(1));
        at = l.end();
      }
      out.add(script.toString());
    }
    return out;
  }

  /** The names {@code script} declares itself (not its @JSBody parameters). */
  static List<String> declared(String script) {
    List<String> names = new ArrayList<>();
    for (Matcher m = VARIABLE.matcher(script); m.find(); ) {
      names.add(m.group(1));
    }
    for (Matcher m = CATCH.matcher(script); m.find(); ) {
      names.add(m.group(1));
    }
    for (Matcher m = FUNCTION.matcher(script); m.find(); ) {
      if (!m.group(1).isEmpty()) {
        names.add(m.group(1));
      }
      addParameters(m.group(2), names);
    }
    for (Matcher m = ARROW.matcher(script); m.find(); ) {
      addParameters(m.group(1) != null ? m.group(1) : m.group(2), names);
    }
    return names;
  }

  private static void addParameters(String list, List<String> names) {
    for (String p : list.split(",")) {
      if (!p.isBlank()) {
        names.add(p.strip());
      }
    }
  }

  @Test
  void declared_findsVariablesFunctionsCatchesAndArrows() {
    assertEquals(List.of("d", "e", "o", "f2", "a", "b", "x"),
        declared("var d = 1; try {} catch (e) {} function (o) {} function f2(a, b) {} (x) => 1"));
  }

  @Test
  void scripts_joinTheLiteralsOfEachAnnotation() {
    String source = "@JSBody(params = {\"a\", \"b\"}, script = \"var x = a;\"\n      + \" return \\\"\\\" + x;\")\n"
        + "@JSBody(script = \"return 1;\")";
    assertEquals(List.of("var x = a; return \\\"\\\" + x;", "return 1;"), scripts(source));
  }

  @Test
  void jsBodyScripts_declareNoNameShortEnoughForTheMinifierToGiveAParameter() throws IOException {
    List<String> bad = new ArrayList<>();
    int count = 0;
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        for (String script : scripts(Files.readString(f))) {
          count++;
          for (String name : declared(script)) {
            if (name.length() < 3) {
              bad.add(SOURCES.relativize(f) + ": '" + name + "' in " + script.substring(0, Math.min(script.length(), 70)));
            }
          }
        }
      }
    }
    assertTrue(count > 50, "found only " + count + " @JSBody scripts: is the scan still right?");
    assertEquals(List.of(), bad);
  }
}
